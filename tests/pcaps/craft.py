#!/usr/bin/env python3
"""Writes byte-exact edge-case capture files into tests/pcaps/crafted/ (python3 stdlib only).

The captures of real traffic (make-pcaps.sh) cannot show what a real stack never sends or what
a healthy capture file never holds: other file byte orders and timestamp resolutions, pcapng
files with several sections and link types, damaged files, odd link layers, bad checksums,
truncated headers. Each file here is built field by field, so its expected decoding can be
checked by hand against the bytes; checksums are computed (correct unless the case is about a
bad one). The output is deterministic: running this again rewrites identical files.

Usage: python3 tests/pcaps/craft.py [OUTDIR]   (default: tests/pcaps/crafted next to this file)
"""
import os
import struct
import sys

# ---------------------------------------------------------------------------------------
# Packets
MAC_A = bytes.fromhex("001b210a0001")   # Intel OUI, universal, individual
MAC_B = bytes.fromhex("02420a000002")   # locally administered
IP_A = bytes([192, 0, 2, 1])            # TEST-NET-1 (RFC 5737)
IP_B = bytes([198, 51, 100, 7])         # TEST-NET-2
IP6_A = bytes.fromhex("20010db8000000000000000000000001")
IP6_B = bytes.fromhex("20010db8000000000000000000000002")
T0 = 1700000000                         # 2023-11-14 22:13:20 UTC


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(proto, payload, src=IP_A, dst=IP_B, ident=0x1234, ttl=64, options=b"", flags=0x4000,
         bad_sum=False, total=None):
    ihl = 5 + len(options) // 4
    tl = total if total is not None else ihl * 4 + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tl, ident, flags, ttl, proto, 0, src, dst)
    h += options
    c = csum(h)
    if bad_sum:
        c ^= 0x5555
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def _pseudo4(src, dst, proto, length):
    return struct.pack("!4s4sBBH", src, dst, 0, proto, length)


def _pseudo6(src, dst, proto, length):
    return struct.pack("!16s16sIxxxB", src, dst, length, proto)


def udp(sport, dport, data, src=IP_A, dst=IP_B, v6=False, bad_sum=False):
    ln = 8 + len(data)
    h = struct.pack("!HHHH", sport, dport, ln, 0)
    ps = (_pseudo6 if v6 else _pseudo4)(src, dst, 17, ln)
    c = csum(ps + h + data) or 0xFFFF
    if bad_sum:
        c ^= 0x0F0F
    return h[:6] + struct.pack("!H", c) + data


def tcp(sport, dport, seq, ack, flags, data=b"", win=64240, options=b"", src=IP_A, dst=IP_B,
        v6=False, bad_sum=False):
    off = (20 + len(options)) // 4
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, win, 0, 0) + options
    ps = (_pseudo6 if v6 else _pseudo4)(src, dst, 6, len(h) + len(data))
    c = csum(ps + h + data)
    if bad_sum:
        c ^= 0x00FF
    return h[:16] + struct.pack("!H", c) + h[18:] + data


def icmp_echo(ident, seq, data, typ=8):
    h = struct.pack("!BBHHH", typ, 0, 0, ident, seq)
    c = csum(h + data)
    return h[:2] + struct.pack("!H", c) + h[4:] + data


def ipv6(nxt, payload, src=IP6_A, dst=IP6_B, hlim=64):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nxt, hlim, src, dst) + payload


def eth(payload, etype=0x0800, src=MAC_A, dst=MAC_B):
    return dst + src + struct.pack("!H", etype) + payload


SYN_OPTS = bytes.fromhex("020405b4") + bytes.fromhex("0402") + bytes.fromhex("080a0000000100000000") \
    + bytes.fromhex("01030307")          # MSS 1460, SACK_PERM, TS, NOP, WS 7 = 20 bytes


def udp4_frame(data=b"hello", sport=40000, dport=7, ident=1):
    return eth(ipv4(17, udp(sport, dport, data), ident=ident))


def syn_frame():
    return eth(ipv4(6, tcp(40000, 80, 1000, 0, 0x02, options=SYN_OPTS)))


def ping6_frame():
    data = b"abcdefgh"
    h = struct.pack("!BBHHH", 128, 0, 0, 7, 1) + data
    c = csum(_pseudo6(IP6_A, IP6_B, 58, len(h)) + h)
    return eth(ipv6(58, h[:2] + struct.pack("!H", c) + h[4:]), 0x86DD)


# ---------------------------------------------------------------------------------------
# pcap (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html)
def pcap(records, linktype=1, be=False, nsec=False, snaplen=262144, version=(2, 4)):
    """records: list of (sec, frac, data) or (sec, frac, data, orig_len) tuples."""
    e = ">" if be else "<"
    magic = 0xA1B23C4D if nsec else 0xA1B2C3D4
    out = struct.pack(e + "IHHiIII", magic, version[0], version[1], 0, 0, snaplen, linktype)
    for r in records:
        sec, frac, data = r[:3]
        orig = r[3] if len(r) > 3 else len(data)
        out += struct.pack(e + "IIII", sec, frac, len(data), orig) + data
    return out


# ---------------------------------------------------------------------------------------
# pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html)
def _pad4(b):
    return b + b"\0" * (-len(b) % 4)


def opt(code, value, e="<"):
    return struct.pack(e + "HH", code, len(value)) + _pad4(value)


def opts(items, e="<"):
    if not items:
        return b""
    return b"".join(opt(c, v, e) for c, v in items) + struct.pack(e + "HH", 0, 0)


def block(btype, body, e="<"):
    body = _pad4(body)
    ln = 12 + len(body)
    return struct.pack(e + "II", btype, ln) + body + struct.pack(e + "I", ln)


def shb(e="<", options=()):
    body = struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1) + opts(list(options), e)
    return block(0x0A0D0D0A, body, e)


def idb(linktype, snaplen=262144, e="<", options=()):
    return block(1, struct.pack(e + "HHI", linktype, 0, snaplen) + opts(list(options), e), e)


def epb(iface, ts, data, e="<", orig=None, options=()):
    """ts: timestamp in units of the interface's resolution (default microseconds)."""
    body = struct.pack(e + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(data),
                       len(data) if orig is None else orig)
    return block(6, body + _pad4(data) + opts(list(options), e), e)


def spb(data, orig=None, e="<"):
    return block(3, struct.pack(e + "I", len(data) if orig is None else orig) + _pad4(data), e)


def obsolete_pb(iface, ts, data, e="<"):
    """Packet Block (type 2, obsolete): interface id 16 bits, drops count 16 bits."""
    body = struct.pack(e + "HHIIII", iface, 0, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data))
    return block(2, body + _pad4(data), e)


def nrb(e="<"):
    recs = struct.pack(e + "HH", 1, 4 + 15) + _pad4(IP_A + b"host-a.example\0")
    recs += struct.pack(e + "HH", 2, 16 + 15) + _pad4(IP6_B + b"host-b.example\0")
    recs += struct.pack(e + "HH", 0, 0)
    return block(4, recs + opts([(1, b"names from a crafted file")], e), e)


def isb(iface, ts, e="<"):
    o = [(2, struct.pack(e + "II", ts >> 32, ts & 0xFFFFFFFF)),        # isb_starttime
         (4, struct.pack(e + "Q", 10)),                                 # isb_ifrecv
         (5, struct.pack(e + "Q", 1))]                                  # isb_ifdrop
    return block(5, struct.pack(e + "III", iface, ts >> 32, ts & 0xFFFFFFFF) + opts(o, e), e)


def custom(copyable=True, e="<"):
    # Custom block: Private Enterprise Number then opaque data (32473 = example PEN, RFC 5612)
    return block(0x00000BAD if copyable else 0x40000BAD,
                 struct.pack(e + "I", 32473) + b"custom data, skip me", e)


def us(sec, usec=0):
    return sec * 1000000 + usec


# ---------------------------------------------------------------------------------------
def cases():
    c = {}
    f_udp, f_syn, f_p6 = udp4_frame(), syn_frame(), ping6_frame()

    # --- pcap variants
    c["pcap-nsec.pcap"] = pcap([(T0, 123456789, f_udp), (T0 + 1, 999999999, f_syn)], nsec=True)
    c["pcap-be.pcap"] = pcap([(T0, 500000, f_udp), (T0, 750000, f_syn)], be=True)
    c["pcap-be-nsec.pcap"] = pcap([(T0, 1, f_udp)], be=True, nsec=True)
    # Version 2.2 files may have the captured and original length fields swapped (libpcap
    # sf-pcap.c swaps them back when caplen > len for versions before 2.3).
    short = f_syn[:54]
    c["pcap-v22-swapped.pcap"] = (
        struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 2, 0, 0, 65535, 1)
        + struct.pack("<IIII", T0, 0, len(f_syn), len(short)) + short
        + struct.pack("<IIII", T0, 10, len(f_udp), len(f_udp)) + f_udp)
    # Link-type field with high bits set (FCS length / reserved bits): masked as libpcap does.
    c["pcap-linktype-fcs-bits.pcap"] = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535,
                                                   0x10000000 | 1) \
        + struct.pack("<IIII", T0, 0, len(f_udp), len(f_udp)) + f_udp
    # caplen > snaplen (but below the hard maximum): tolerated, every byte kept.
    c["caplen-gt-snaplen.pcap"] = pcap([(T0, 0, f_syn)], snaplen=64)
    # caplen < len: a capture made with a small snap length.
    c["snaplen-short.pcap"] = pcap([(T0, 0, f_syn[:60], len(f_syn))], snaplen=60)

    # --- damaged and foreign files
    good = pcap([(T0, 0, f_udp), (T0, 1, f_syn), (T0, 2, f_udp)])
    c["trunc-file-header.pcap"] = good[:14]
    c["trunc-record-header.pcap"] = good[:24 + 16 + len(f_udp) + 9]
    c["trunc-record-data.pcap"] = good[:24 + 16 + len(f_udp) + 16 + 30]
    huge = pcap([(T0, 0, f_udp)]) + struct.pack("<IIII", T0, 1, 0x7FFFFFF0, 0x7FFFFFF0) + f_udp
    c["caplen-huge.pcap"] = huge
    c["caplen-gt-len.pcap"] = pcap([(T0, 0, f_udp), (T0, 1, f_syn, 20)])
    c["not-a-capture.txt"] = b"This is a text file, not a packet capture.\n" * 4
    c["empty.pcap"] = b""

    # --- pcapng
    le, be = "<", ">"
    c["ng-two-sections.pcapng"] = (
        shb(le, [(3, b"crafted: section 1 little-endian")]) + idb(1, e=le)
        + epb(0, us(T0, 1), f_udp, le)
        + shb(be, [(3, b"crafted: section 2 big-endian")]) + idb(101, e=be)
        + epb(0, us(T0, 2), f_syn[14:], be))
    c["ng-two-linktypes.pcapng"] = (
        shb() + idb(1, options=[(2, b"eth0")]) + idb(228, 1500, options=[(2, b"tun0")])
        + idb(229, options=[(2, b"tun6")])
        + epb(0, us(T0, 10), f_udp) + epb(1, us(T0, 20), f_syn[14:]) + epb(2, us(T0, 30), f_p6[14:])
        + epb(0, us(T0, 40), f_syn))
    # if_tsresol: 0x8a = 2^-10 s; 9 = 10^-9 s; if_tsoffset 1000 s added to every timestamp.
    c["ng-tsresol.pcapng"] = (
        shb() + idb(1, options=[(9, b"\x8a")]) + idb(1, options=[(9, b"\x09")])
        + idb(1, options=[(14, struct.pack("<q", 1000))])
        + epb(0, T0 * 1024 + 512, f_udp)              # .5 s
        + epb(1, T0 * 10**9 + 123456789, f_udp)
        + epb(2, us(T0 - 1000, 250000), f_udp))       # shown as T0 + .25
    # Timestamps at the edge of 64 bits (issue 13): if_tsresol 0 is 10^0 = whole seconds, so
    # 2^64-1 and 2^63-1 are far past what int64 nanoseconds hold, and if_tsoffset -2^63 on the
    # second interface puts its packets as far before 1970. Differences, the time span and the
    # duration of the TCP connection must saturate, not overflow. The 64 UDP flows come first
    # so that the tracker's expiry (64 flows per packet) does not reach the TCP one, which thus
    # lasts from the earliest time to the latest: over 292 years.
    ack = eth(ipv4(6, tcp(40000, 80, 1001, 0, 0x10)))
    c["ng-ts-wrap.pcapng"] = (
        shb() + idb(1, options=[(9, b"\x00")])
        + idb(1, options=[(9, b"\x00"), (14, struct.pack("<q", -2**63))])
        + b"".join(epb(1, i, udp4_frame(sport=41000 + i)) for i in range(64))
        + epb(1, 64, f_syn)                           # -2^63 s + 64: far before 1970
        + epb(0, 2**64 - 1, ack)                      # 2^64-1 s: far after
        + epb(0, 2**63 - 1, ack)
        + epb(0, 10, f_udp)
        + epb(0, T0, f_udp))
    c["ng-spb-obsolete.pcapng"] = (
        shb() + idb(1, snaplen=64) + spb(f_syn[:64], orig=len(f_syn)) + spb(f_udp)
        + obsolete_pb(0, us(T0, 5), f_udp))
    c["ng-comments.pcapng"] = (
        shb(options=[(1, b"section comment"), (2, b"crafted hardware"), (3, b"crafted os"),
                     (4, b"craft.py")])
        + idb(1, options=[(1, b"interface comment"), (2, b"eth0"), (3, b"the first NIC")])
        + epb(0, us(T0), f_udp, options=[(1, b"packet comment: first"), (2, b"\x00\x00\x00\x01")])
        + epb(0, us(T0, 1), f_syn, options=[(1, b"second \xe2\x80\x9ccomment\xe2\x80\x9d"),
                                             (1, b"another comment")]))
    c["ng-blocks.pcapng"] = (
        shb() + idb(1) + nrb() + epb(0, us(T0), f_udp) + custom(True) + custom(False)
        + block(0x12345678, b"unknown block type") + isb(0, us(T0, 2))
        + epb(0, us(T0, 3), f_syn))
    ok_ng = shb() + idb(1) + epb(0, us(T0), f_udp) + epb(0, us(T0, 1), f_syn)
    c["ng-trunc-block.pcapng"] = ok_ng[:-20]
    bad = bytearray(shb() + idb(1) + epb(0, us(T0), f_udp) + epb(0, us(T0, 1), f_syn))
    pos = len(shb()) + len(idb(1)) + len(epb(0, us(T0), f_udp))
    struct.pack_into("<I", bad, pos + 4, 33)           # block total length not a multiple of 4
    c["ng-bad-block-len.pcapng"] = bytes(bad)
    bad2 = bytearray(ok_ng)
    struct.pack_into("<I", bad2, len(ok_ng) - 4, 0x100)  # trailing length differs from leading
    c["ng-bad-trailer.pcapng"] = bytes(bad2)
    c["ng-epb-unknown-iface.pcapng"] = shb() + idb(1) + epb(0, us(T0), f_udp) + epb(3, us(T0, 1), f_udp)

    # --- network and transport edge cases (Ethernet)
    # IPv4 options: NOP, Record Route (3 slots, one filled), Router Alert, EOL (RFC 791, 2113).
    rr = bytes([7, 11, 8]) + IP_A + bytes(4)
    ra = bytes([0x94, 4, 0, 0])
    ip_opts = b"\x01" + rr + ra + b"\x00"
    ip_opts += b"\0" * (-len(ip_opts) % 4)
    u = udp(40001, 53, b"\x12\x34\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00")
    c["ipv4-options.pcap"] = pcap([(T0, 0, eth(ipv4(17, u, options=ip_opts)))])
    c["bad-checksums.pcap"] = pcap([
        (T0, 0, eth(ipv4(17, udp(40000, 7, b"bad ip sum"), bad_sum=True))),
        (T0, 1, eth(ipv4(6, tcp(40000, 80, 1, 1, 0x18, b"GET / HTTP/1.1\r\n\r\n", bad_sum=True)))),
        (T0, 2, eth(ipv4(17, udp(40000, 7, b"bad udp sum", bad_sum=True)))),
        (T0, 3, eth(ipv4(17, udp(40000, 7, b"zero udp sum")[:6] + b"\0\0" + b"zero udp sum"))),
        # ICMP and ICMPv6 checksums are verified always (as in Wireshark), IPv4/TCP/UDP only
        # with --checksums; over IPv6 a zero UDP checksum is an error either way (RFC 8200 8.1).
        (T0, 4, eth(ipv4(1, icmp_echo(7, 1, b"bad icmp sum")[:2] + b"\xde\xad"
                         + icmp_echo(7, 1, b"bad icmp sum")[4:]))),
        (T0, 5, eth(ipv6(6, tcp(40001, 7, 1, 1, 0x18, b"bad v6 tcp sum", src=IP6_A, dst=IP6_B,
                                v6=True, bad_sum=True)), 0x86DD)),
        (T0, 6, eth(ipv6(17, udp(40002, 7, b"zero v6 udp sum", v6=True)[:6] + b"\0\0"
                         + b"zero v6 udp sum"), 0x86DD)),
        (T0, 7, eth(ipv6(58, bytes([128, 0, 0xbe, 0xef, 0, 8, 0, 1]) + b"bad icmpv6 sum"),
                    0x86DD)),
    ])
    # NTP (RFC 5905 7.3) on UDP 123: a client request (version 4, mode 3, only the transmit
    # timestamp set, as SNTP clients send), the server's answer (stratum 2, poll 6, precision
    # -24, reference ID an upstream IPv4 address), and a packet shorter than the 48-byte header.
    def ntp(li_vn_mode, stratum, poll, prec, rdelay, rdisp, refid, stamps):
        return struct.pack("!BBBbII4s", li_vn_mode, stratum, poll, prec, rdelay, rdisp, refid) \
            + b"".join(struct.pack("!II", sec, frac) for sec, frac in stamps)
    NTP_T0 = T0 + 2208988800
    req = ntp(0x23, 0, 0, 0x20, 0, 0, bytes(4), [(0, 0), (0, 0), (0, 0), (NTP_T0, 0x80000000)])
    rsp = ntp(0x24, 2, 6, -24, 0x0000030e, 0x00000a1b, bytes([192, 0, 2, 123]),
              [(NTP_T0 - 600, 0x40000000), (NTP_T0, 0x80000000), (NTP_T0, 0x80418937),
               (NTP_T0, 0x8083126f)])
    c["ntp.pcap"] = pcap([
        (T0, 500000, eth(ipv4(17, udp(40123, 123, req), ident=11))),
        (T0, 502000, eth(ipv4(17, udp(123, 40123, rsp, src=IP_B, dst=IP_A), src=IP_B, dst=IP_A,
                              ident=12), src=MAC_B, dst=MAC_A)),
        (T0 + 1, 0, eth(ipv4(17, udp(40123, 123, req[:20]), ident=13))),
    ])
    # TLS (RFC 8446 4.1.2): a ClientHello with SNI; the same cut short by the end of the
    # segment; a record whose length is over 2^14 + 2048 (RFC 5246 6.2.3); a ClientHello whose
    # server_name entry claims more bytes than its extension has; a ClientHello on port 4433
    # (TLS by content, as Wireshark's tls heuristic finds it).
    def tls_ext(typ, body):
        return struct.pack("!HH", typ, len(body)) + body
    def client_hello(sni=b"example.test", sni_len=None):
        name = struct.pack("!BH", 0, len(sni) if sni_len is None else sni_len) + sni
        exts = tls_ext(0, struct.pack("!H", len(name)) + name) \
            + tls_ext(16, struct.pack("!H", 9) + b"\x08http/1.1") \
            + tls_ext(43, b"\x04\x03\x04\x03\x03")
        body = b"\x03\x03" + bytes(range(32)) + b"\x00" + struct.pack("!H", 4) \
            + b"\x13\x01\xc0\x2f" + b"\x01\x00" + struct.pack("!H", len(exts)) + exts
        hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
        return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs
    ch = client_hello()
    c["tls.pcap"] = pcap([
        (T0, 0, eth(ipv4(6, tcp(40443, 443, 1, 1, 0x18, ch), ident=21))),
        (T0, 1000, eth(ipv4(6, tcp(40444, 443, 1, 1, 0x18, ch[:60]), ident=22))),
        (T0, 2000, eth(ipv4(6, tcp(443, 40445, 1, 1, 0x18,
                                   b"\x17\x03\x03\x50\x00" + bytes(16), src=IP_B, dst=IP_A),
                            src=IP_B, dst=IP_A, ident=23), src=MAC_B, dst=MAC_A)),
        (T0, 3000, eth(ipv4(6, tcp(40446, 443, 1, 1, 0x18, client_hello(sni_len=200)),
                            ident=24))),
        (T0, 4000, eth(ipv4(6, tcp(40447, 4433, 1, 1, 0x18, ch), ident=25))),
    ])
    # SNMP (RFC 1157, RFC 3416) on UDP 161, BER by hand: a v2c get-request naming OIDs that
    # tshark knows by name, then damaged messages: a VarBindList longer than its PDU, an OID arc
    # of 10 bytes (70 bits: does not fit in 64), a message cut by the snapshot length, a value
    # of 20 nested SEQUENCEs (deeper than the reader's cap of 16), an indefinite length, and a
    # reply with Counter64, Opaque and a non-4-byte IpAddress.
    def ber(tag, content):
        n = len(content)
        if n < 0x80:
            ln = bytes([n])
        elif n < 0x100:
            ln = bytes([0x81, n])
        else:
            ln = bytes([0x82, n >> 8, n & 0xFF])
        return bytes([tag]) + ln + content

    def ber_int(v):
        return ber(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))

    def ber_oid(text):
        arcs = [int(a) for a in text.split(".")]
        subs = [arcs[0] * 40 + arcs[1]] + arcs[2:]
        out = b""
        for v in subs:
            enc = [v & 0x7F]
            v >>= 7
            while v:
                enc.insert(0, 0x80 | (v & 0x7F))
                v >>= 7
            out += bytes(enc)
        return ber(0x06, out)

    def snmp_msg(pdu_tag, varbinds, version=1, community=b"public", rid=0x1234, raw_list=None):
        vbl = raw_list if raw_list is not None else ber(0x30, b"".join(
            ber(0x30, (ber_oid(o) if isinstance(o, str) else o) + v) for o, v in varbinds))
        pdu = ber(pdu_tag, ber_int(rid) + ber_int(0) + ber_int(0) + vbl)
        return ber(0x30, ber_int(version) + ber(0x04, community) + pdu)

    NULLV = b"\x05\x00"

    def snmp_frame(msg, i, reply=False):
        if reply:
            return eth(ipv4(17, udp(161, 40161, msg, src=IP_B, dst=IP_A), src=IP_B, dst=IP_A,
                            ident=100 + i), src=MAC_B, dst=MAC_A)
        return eth(ipv4(17, udp(40161, 161, msg), ident=100 + i))
    names = snmp_msg(0xA0, [("0.0", NULLV), ("1.0", NULLV), ("2.0", NULLV), ("1.3.6.1", NULLV),
                            ("2.1", NULLV), ("1.3.6.1.2.1.1.1.0", NULLV)])
    reply = snmp_msg(0xA2, [("1.3.6.1.2.1.31.1.1.1.6.2", ber(0x46, bytes.fromhex("00ffffffffffffffff"))),
                            ("1.3.6.1.4.1.2021.10.1.6.1", ber(0x44, bytes.fromhex("9f780441"))),
                            ("1.3.6.1.2.1.4.20.1.1.1", ber(0x40, bytes(6)))])
    good_vb = ber(0x30, ber_oid("1.3.6.1.2.1.1.5.0") + NULLV)
    past = bytearray(snmp_msg(0xA0, None, raw_list=ber(0x30, good_vb)))
    past[past.index(bytes([0x30, len(good_vb)]) + good_vb) + 1] = 0x7F   # list length 127
    arc = ber(0x06, bytes([0x2B, 6, 1]) + bytes([0xFF] * 9) + bytes([0x7F]))
    overflow = snmp_msg(0xA0, [(arc, NULLV)])
    cut = snmp_frame(snmp_msg(0xA0, [("1.3.6.1.2.1.1.1.0", NULLV), ("1.3.6.1.2.1.1.5.0", NULLV)]), 4)
    deep = b""
    for _ in range(20):
        deep = ber(0x30, deep)
    nested = snmp_msg(0xA2, [("1.3.6.1.2.1.1.1.0", deep)])
    indef = bytes([0x30, 0x80]) + ber_int(1) + ber(0x04, b"public") + b"\x00\x00"
    c["snmp.pcap"] = pcap([
        (T0, 0, snmp_frame(names, 0)),
        (T0, 1000, snmp_frame(reply, 1, reply=True)),
        (T0, 2000, snmp_frame(bytes(past), 2)),
        (T0, 3000, snmp_frame(overflow, 3)),
        (T0, 4000, cut[:len(cut) - 12], len(cut)),
        (T0, 5000, snmp_frame(nested, 5, reply=True)),
        (T0, 6000, snmp_frame(indef, 6)),
    ])
    full = syn_frame()
    c["tcp-truncated.pcap"] = pcap([
        (T0, 0, full[:14 + 20 + 12], len(full)),       # captured length cuts the TCP header
        # IP total length leaves only 12 bytes for a 40-byte TCP header: malformed
        (T0, 1, eth(ipv4(6, tcp(40000, 80, 1, 0, 0x02, options=SYN_OPTS), total=32))),
        # TCP data offset 3 (< 5): malformed
        (T0, 2, eth(ipv4(6, tcp(40000, 80, 1, 0, 0x02)[:12] + b"\x30"
                         + tcp(40000, 80, 1, 0, 0x02)[13:]))),
    ], snaplen=46)
    c["ipv4-fragments.pcap"] = pcap([
        (T0, 0, eth(ipv4(17, udp(40000, 7, b"A" * 32)[:24], ident=77, flags=0x2000))),
        (T0, 1, eth(ipv4(17, b"B" * 16, ident=77, flags=0x0003))),
    ])
    # Reassembly edge cases (issue 10). One UDP datagram of 48 payload bytes (56 with its
    # header) in fragments of 24/16/16 bytes at offsets 0, 24, 40: the first arrives twice
    # (a duplicate), a fragment at offset 16 overlaps the first with different bytes (a
    # conflict), and the last one completes it. Then an IPv6 datagram whose two fragments come
    # last-first; a fragment that reaches past 65,535 bytes (the "ping of death"); and a first
    # fragment whose datagram never completes (timed out by a packet 40 s later).
    dgram = udp(40001, 9, bytes(range(48)))
    c["frag-overlap.pcap"] = pcap([
        (T0, 0, eth(ipv4(17, dgram[:24], ident=0x0101, flags=0x2000))),
        (T0, 1, eth(ipv4(17, dgram[:24], ident=0x0101, flags=0x2000))),
        (T0, 2, eth(ipv4(17, b"\xee" * 16, ident=0x0101, flags=0x2000 | 2))),
        (T0, 3, eth(ipv4(17, dgram[24:40], ident=0x0101, flags=0x2000 | 3))),
        (T0, 4, eth(ipv4(17, dgram[40:], ident=0x0101, flags=5))),
    ])
    # A UDP datagram of 1,600 bytes in 100 fragments of 16: more than the 64 that the frame
    # completing it lists as ip.fragment; -2 tells every one where it was reassembled.
    many = udp(40003, 9, bytes(range(256)) * 6 + bytes(56))
    c["frag-many.pcap"] = pcap([
        (T0, i, eth(ipv4(17, many[i * 16:(i + 1) * 16], ident=0x0202,
                         flags=(0x2000 if i < 99 else 0) | (i * 16 // 8))))
        for i in range(100)
    ])
    d6 = udp(40002, 9, bytes(range(64)), src=IP6_A, dst=IP6_B, v6=True)
    def frag6(off, more, chunk):
        fh = struct.pack("!BBHI", 17, 0, (off // 8) << 3 | more, 0xCAFE0001)
        return eth(ipv6(44, fh + chunk), 0x86DD)
    c["frag6-reverse.pcap"] = pcap([
        (T0, 0, frag6(40, 0, d6[40:])),
        (T0, 1, frag6(0, 1, d6[:40])),
    ])
    c["frag-past-max.pcap"] = pcap([
        (T0, 0, eth(ipv4(1, icmp_echo(9, 1, b"x" * 32), ident=0x0202, flags=0x2000))),
        (T0, 1, eth(ipv4(1, b"y" * 64, ident=0x0202, flags=8189))),
    ])
    c["frag-incomplete.pcap"] = pcap([
        (T0, 0, eth(ipv4(17, udp(40003, 9, b"z" * 40)[:24], ident=0x0303, flags=0x2000))),
        (T0 + 40, 0, udp4_frame(b"later", ident=0x0304)),
        (T0 + 41, 0, eth(ipv4(17, b"z" * 24, ident=0x0303, flags=3))),
    ])
    # 802.1ad QinQ: S-tag 0x88a8 VID 300 PCP 5 DEI 1, C-tag 0x8100 VID 10, then IPv4/UDP;
    # and a 0x9100 outer tag (pre-standard QinQ) around an 802.1Q tag.
    qinq = MAC_B + MAC_A + struct.pack("!HHHH", 0x88A8, (5 << 13) | (1 << 12) | 300, 0x8100, 10) \
        + struct.pack("!H", 0x0800) + ipv4(17, udp(40000, 7, b"qinq"))
    q9100 = MAC_B + MAC_A + struct.pack("!HHHH", 0x9100, 20, 0x8100, 30) \
        + struct.pack("!H", 0x86DD) + f_p6[14:]
    c["qinq.pcap"] = pcap([(T0, 0, qinq), (T0, 1, q9100)])
    # IEEE 802.3 with a length field and LLC: an STP configuration BPDU (DSAP/SSAP 0x42) and
    # SNAP (AA AA 03, OUI 0, type 0x0800) carrying IPv4; 60-byte frames padded as on the wire.
    bpdu = bytes.fromhex("0000000000800000000000000000000000008000000000000000800100001400020000")
    llc_stp = bytes.fromhex("0180c2000000") + MAC_A + struct.pack("!H", 3 + len(bpdu)) \
        + b"\x42\x42\x03" + bpdu
    llc_stp += b"\0" * max(0, 60 - len(llc_stp))
    snap_payload = b"\xaa\xaa\x03\x00\x00\x00\x08\x00" + ipv4(17, udp(40000, 7, b"snap"))
    llc_snap = MAC_B + MAC_A + struct.pack("!H", len(snap_payload)) + snap_payload
    c["llc.pcap"] = pcap([(T0, 0, llc_stp), (T0, 1, llc_snap)])

    # --- BSD NULL (DLT 0, AF in the capturing host's byte order) and LOOP (DLT 108, network
    # order). AF_INET 2; AF_INET6 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS).
    ip4 = ipv4(17, udp(40000, 7, b"null"))
    ip6p = f_p6[14:]

    def null_recs(af_e):
        return [(T0, i, struct.pack(af_e + "I", af) + (ip4 if af == 2 else ip6p))
                for i, af in enumerate((2, 24, 28, 30))]
    c["null-le.pcap"] = pcap(null_recs("<"), linktype=0)
    c["null-be.pcap"] = pcap(null_recs(">"), linktype=0, be=True)
    # A little-endian file written on a big-endian host: the AF is big-endian in the data.
    c["null-swapped.pcap"] = pcap(null_recs(">"), linktype=0)
    c["loop.pcap"] = pcap(null_recs(">")[:2], linktype=108)
    # raw IP: 228 (IPv4 only), 229 (IPv6 only), 101 (either, by version nibble), 12 (either).
    c["raw-228.pcap"] = pcap([(T0, 0, ip4), (T0, 1, f_syn[14:])], linktype=228)
    c["raw-229.pcap"] = pcap([(T0, 0, ip6p)], linktype=229)
    c["raw-101.pcap"] = pcap([(T0, 0, ip4), (T0, 1, ip6p)], linktype=101)
    c["raw-12.pcap"] = pcap([(T0, 0, ip4), (T0, 1, ip6p)], linktype=12)
    # A link type we do not dissect (DLT_IEEE802_11 = 105): shown as raw bytes, not an error.
    c["linktype-unknown.pcap"] = pcap([(T0, 0, b"\x80\x00\x00\x00" + b"\xff" * 20)], linktype=105)
    # --- DHCP (RFC 2131, RFC 2132) on UDP 67/68 ---------------------------------------------
    # 1: a DHCPINFORM with pad options between options, a client identifier of type 0 (not a
    #    MAC), an unknown (site-specific) option 224 and a NAK-less end; 2: a DHCPNAK from the
    #    server; 3: a DHCPREQUEST whose host-name option says 40 bytes where 6 are left (the
    #    option runs past the end of the message); 4: a plain BOOTP request (RFC 951): no magic
    #    cookie, the 64-byte vendor area all zero; 5: a DHCPDISCOVER cut by the capture's
    #    snap length in the middle of the client hardware address; 6: a DHCPDECLINE whose option
    #    list has no End option.
    def bootp(op, xid, ciaddr=bytes(4), yiaddr=bytes(4), flags=0, cookie=True, vend=b""):
        h = struct.pack("!BBBBIHH4s4s4s4s", op, 1, 6, 0, xid, 0, flags, ciaddr, yiaddr,
                        bytes(4), bytes(4))
        h += MAC_A + bytes(10) + bytes(64) + bytes(128)
        return h + (b"\x63\x82\x53\x63" if cookie else b"") + vend
    ANY = bytes(4)
    BCAST = bytes([255] * 4)
    SRV = bytes([192, 0, 2, 67])

    def dhcp_frame(data, client=True, src=ANY, dst=BCAST):
        sp, dp = (68, 67) if client else (67, 68)
        return eth(ipv4(17, udp(sp, dp, data, src=src, dst=dst), src=src, dst=dst),
                   src=MAC_A if client else MAC_B, dst=bytes([255] * 6))
    inform = bootp(1, 0x11223344, ciaddr=IP_A,
                   vend=bytes([53, 1, 8, 0, 0, 61, 5, 0]) + b"id-7" + bytes([224, 3, 1, 2, 3,
                                                                             55, 3, 1, 3, 6,
                                                                             255]))
    nak = bootp(2, 0x55667788, vend=bytes([53, 1, 6, 54, 4]) + SRV + bytes([255]))
    overrun = bootp(1, 0x0badc0de, vend=bytes([53, 1, 3, 12, 40]) + b"client")
    plain = bootp(1, 0x000b0070, cookie=False) + bytes(64)
    cut = bootp(1, 0x0c0ffee0, vend=bytes([53, 1, 1, 255]))
    decline = bootp(1, 0x0dec1111, vend=bytes([53, 1, 4, 50, 4]) + IP_A)
    f_cut = dhcp_frame(cut)
    c["dhcp.pcap"] = pcap([
        (T0, 0, dhcp_frame(inform, src=IP_A)),
        (T0, 1, dhcp_frame(nak, client=False, src=SRV)),
        (T0, 2, dhcp_frame(overrun)),
        (T0, 3, dhcp_frame(plain)),
        (T0, 4, f_cut[:14 + 20 + 8 + 40], len(f_cut)),
        (T0, 5, dhcp_frame(decline)),
    ])
    # textproto: edge cases of the line-based protocols (make-textproto.sh has the real
    # conversations): EPRT and the 229 reply, a PORT with a number over 255, a reply cut
    # mid-line, pipelined SMTP commands, message lines with the final ".", the rest of a POP3
    # multi-line response, an IMAP literal cut by the segment's end, Telnet commands cut at the
    # end of a segment, and an SSH KEXINIT cut short.
    def tx(sport, dport, data, i, seq=1):
        # each segment on a connection of its own (client port 41000 + i), so none is out of order
        sport, dport = (41000 + i, dport) if dport < sport else (sport, 41000 + i)
        fwd = dport < sport
        src, dst = (IP_A, IP_B) if fwd else (IP_B, IP_A)
        return (T0, i * 1000, eth(ipv4(6, tcp(sport, dport, seq, 1, 0x18, data, src=src, dst=dst),
                                      src=src, dst=dst, ident=100 + i),
                                 src=MAC_A if fwd else MAC_B, dst=MAC_B if fwd else MAC_A))
    kex = struct.pack("!IBB", 300, 6, 20) + bytes(range(16)) + struct.pack("!I", 17) \
        + b"curve25519-sha256" + struct.pack("!I", 40) + b"ssh-ed"
    c["textproto.pcap"] = pcap([
        tx(40021, 21, b"EPRT |1|192.0.2.1|40001|\r\n", 0),
        tx(21, 40021, b"229 Entering Extended Passive Mode (|||40002|)\r\n", 1),
        tx(40021, 21, b"PORT 192,0,2,1,300,1\r\n", 2),
        tx(21, 40021, b"150 Opening BIN", 3),
        tx(40025, 25, b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n", 4),
        tx(40025, 25, b"Subject: x\r\n\r\nhi\r\n.\r\n", 5),
        tx(110, 40110, b"line of the message\r\n.\r\n", 6),
        tx(143, 40143, b"* 1 FETCH (BODY[] {100}\r\nFrom: a@example.org\r\n", 7),
        tx(40023, 23, b"abc\xff\xfa\x18\x00VT", 8),
        tx(23, 40023, b"x\xff", 9),
        tx(40022, 22, kex, 10),
    ])
    # HTTP/1.x (RFC 9112) edge cases, each on its own connection (client port 41000 + i):
    # a response with its whole body (info " (text/html)"), a complete chunked body with a
    # trailer, a chunk size that is not hex, a Content-Length larger than the body, request
    # headers without their empty line, a Content-Length that is not a number, a POST with a
    # body, a 304 (no body) followed by a second response in the same segment, a body of
    # application/octet-stream (Wireshark's data layer: any case, any parameters) and one of
    # application/zip (a media type: no data layer), and a request whose header line is cut by
    # the capture's snap length.
    http_cases = [
        (False, b"HTTP/1.1 200 OK\r\nContent-Type: text/HTML; charset=utf-8\r\n"
                b"Content-Length: 14\r\nCache-Control: no-cache\r\n"
                b"Location: http://example.com/\r\n\r\n<p>hello</p>\r\n"),
        (False, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                b"Content-Type: text/plain\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world"
                b"\r\n0\r\nExpires: never\r\n\r\n"),
        (False, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"zz\r\nnot a chunk\r\n0\r\n\r\n"),
        (False, b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this much"),
        (True, b"GET /no-end HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n"),
        (False, b"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n"),
        (True, b"POST /form HTTP/1.1\r\nHost: example.com:8080\r\n"
               b"Authorization: Basic dXNlcjpwYXNz\r\nAccept-Encoding: gzip, deflate\r\n"
               b"X-Forwarded-For: 192.0.2.99\r\nContent-Type: application/x-www-form-urlencoded"
               b"\r\nContent-Length: 7\r\n\r\na=1&b=2"),
        (False, b"HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n"
                b"WWW-Authenticate: Basic realm=\"x\"\r\n\r\n"
                b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\nConnection: close\r\n"
                b"\r\nno"),
        (False, b"HTTP/1.1 200 OK\r\nContent-Type: Application/Octet-Stream; x=1\r\n"
                b"Content-Length: 4\r\n\r\n\x00\x01\x02\x03"),
        (False, b"HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 4\r\n"
                b"\r\nPK\x03\x04"),
    ]
    recs = []
    for i, (req, data) in enumerate(http_cases):
        cport = 41000 + i
        if req:
            f = eth(ipv4(6, tcp(cport, 80, 1000, 2000, 0x18, data), ident=100 + i))
        else:
            f = eth(ipv4(6, tcp(80, cport, 2000, 1000, 0x18, data, src=IP_B, dst=IP_A),
                         src=IP_B, dst=IP_A, ident=100 + i), src=MAC_B, dst=MAC_A)
        recs.append((T0, i * 1000, f))
    cut = eth(ipv4(6, tcp(41099, 80, 1000, 2000, 0x18,
                          b"GET /cut HTTP/1.1\r\nHost: example.com\r\nUser-Agent: crafted/1.0\r\n"
                          b"\r\n"), ident=199))
    recs.append((T0, 9000, cut[:14 + 20 + 20 + 45], len(cut)))
    c["http.pcap"] = pcap(recs)

    # Bits and options no captured traffic of ours carries: an ICMPv6 Router Advertisement with
    # router preference "high" and the M and O flags (RFC 4191 2.2), an MLDv2 report with two
    # records of two and zero sources behind a hop-by-hop router alert (RFC 3810 5.2), and TCP
    # SYNs with an MPTCP MP_CAPABLE option (RFC 8684 3.1), a TCP Fast Open cookie request and a
    # cookie (RFC 7413 4.1.1).
    ll_a = bytes.fromhex("fe800000000000000000000000000001")
    all_nodes = bytes.fromhex("ff020000000000000000000000000001")
    mld_routers = bytes.fromhex("ff020000000000000000000000000016")

    def icmp6(src, dst, body, hbh=b""):
        c6 = csum(_pseudo6(src, dst, 58, len(body)) + body)
        body = body[:2] + struct.pack("!H", c6) + body[4:]
        if hbh:
            return eth(ipv6(0, hbh + body, src=src, dst=dst, hlim=1), 0x86DD,
                       dst=bytes.fromhex("333300000016"))
        return eth(ipv6(58, body, src=src, dst=dst, hlim=255), 0x86DD,
                   dst=bytes.fromhex("333300000001"))
    ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0x80 | 0x40 | 0x08, 1800, 30000, 1000) \
        + bytes([1, 1]) + MAC_A
    group1 = bytes.fromhex("ff0e0000000000000000000000000101")
    group2 = bytes.fromhex("ff050000000000000000000000000002")
    records = struct.pack("!BBH", 1, 0, 2) + group1 + IP6_A + IP6_B \
        + struct.pack("!BBH", 4, 0, 0) + group2
    mld = struct.pack("!BBHHH", 143, 0, 0, 0, 2) + records
    router_alert = bytes([58, 0, 5, 2, 0, 0, 1, 0])  # next 58, 8 bytes: Router Alert (MLD), PadN
    mptcp = bytes([30, 12, 0x01, 0x81]) + bytes.fromhex("0123456789abcdef")
    tfo_req = bytes([34, 2])
    tfo_cookie = bytes([34, 10]) + bytes.fromhex("1122334455667788")
    mss = bytes.fromhex("020405b4")
    c["rare-bits.pcap"] = pcap([
        (T0, 0, icmp6(ll_a, all_nodes, ra)),
        (T0, 1000, icmp6(ll_a, mld_routers, mld, hbh=router_alert)),
        (T0, 2000, eth(ipv4(6, tcp(40010, 80, 5000, 0, 0x02,
                                   options=mss + mptcp)))),
        (T0, 3000, eth(ipv4(6, tcp(40011, 80, 6000, 0, 0x02,
                                   options=mss + tfo_req + b"\x01\x01")))),
        (T0, 4000, eth(ipv4(6, tcp(40012, 80, 7000, 0, 0x02, data=b"early data",
                                   options=mss + tfo_cookie + b"\x01\x01")))),
    ])

    # --- zeekbytes: Zeek's byte counts (tests/scripts/zeek_bytes.sh). The client's ISN is just
    # below 2^32, so its 800 bytes wrap the sequence number; bytes 400-599 are never captured
    # (a hole the server acknowledges: missed), bytes 200-399 are sent twice (a retransmission:
    # counted once). Zeek: orig_bytes 800, resp_bytes 100, missed_bytes 200.
    isn, srv = 0xFFFFFF00, 1000
    M = 0xFFFFFFFF

    def cli(seq, ack, flags, data=b""):
        return eth(ipv4(6, tcp(40100, 80, seq & M, ack & M, flags, data)))

    def svr(seq, ack, flags, data=b""):
        return eth(ipv4(6, tcp(80, 40100, seq & M, ack & M, flags, data, src=IP_B, dst=IP_A),
                        src=IP_B, dst=IP_A), src=MAC_B, dst=MAC_A)

    blk = bytes(range(200))
    c["zeekbytes-holes.pcap"] = pcap([
        (T0, 0, cli(isn, 0, 0x02)),
        (T0, 1000, svr(srv, isn + 1, 0x12)),
        (T0, 2000, cli(isn + 1, srv + 1, 0x10)),
        (T0, 3000, cli(isn + 1, srv + 1, 0x18, blk)),
        (T0, 4000, cli(isn + 201, srv + 1, 0x18, blk)),
        (T0, 5000, svr(srv + 1, isn + 401, 0x10)),
        (T0, 6000, cli(isn + 601, srv + 1, 0x18, blk)),
        (T0, 7000, cli(isn + 201, srv + 1, 0x18, blk)),
        (T0, 8000, svr(srv + 1, isn + 801, 0x18, blk[:100])),
        (T0, 9000, cli(isn + 801, srv + 101, 0x11)),
        (T0, 10000, svr(srv + 101, isn + 802, 0x11)),
        (T0, 11000, cli(isn + 802, srv + 102, 0x10)),
    ])

    # --- hosts: the ARP-spoofing lesson. 192.0.2.10 asks for its gateway 192.0.2.1; the router
    # answers (frame 2), then another MAC answers for the same IP, twice (frames 3 and 4,
    # unsolicited); the host's next packet to a remote address goes to that MAC (frame 5).
    # --hosts flags the conflict and, by the traffic it carries, names the second MAC gateway.
    def arp(op, sha, spa, tha, tpa, src, dst):
        return eth(struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa, 0x0806,
                   src=src, dst=dst)
    victim, vip = MAC_A, bytes([192, 0, 2, 10])
    router, gw = bytes.fromhex("001e7a0a0001"), bytes([192, 0, 2, 1])   # Cisco OUI
    spoofer = bytes.fromhex("02deadbeef01")                             # locally administered
    bcast = b"\xff" * 6
    c["arp-conflict.pcap"] = pcap([
        (T0, 0, arp(1, victim, vip, bytes(6), gw, victim, bcast)),
        (T0, 1000, arp(2, router, gw, victim, vip, router, victim)),
        (T0, 2000, arp(2, spoofer, gw, victim, vip, spoofer, victim)),
        (T0 + 1, 0, arp(2, spoofer, gw, victim, vip, spoofer, victim)),
        (T0 + 1, 500000, eth(ipv4(1, icmp_echo(7, 1, b"abcdefgh"), src=vip, dst=IP_B),
                             src=victim, dst=spoofer)),
    ])

    # explain.pcap (issue 15, the classroom): every label the -V notes explain, on one link
    # 192.0.2.0/24 with a router 192.0.2.254: an ARP request left unanswered and asked again,
    # its reply, an ARP probe, an announcement and a gratuitous reply; a UDP datagram that
    # crossed 3 routers and the port unreachable that quotes it; a traceroute probe (TTL 1) and
    # the router's time exceeded; a ping to 10.1.2.3 (class A's private block) answered with
    # TTL 247 (255 - 8 hops); a datagram from 172.16.5.5 (class B's) to 224.0.0.251 (class D).
    ROUTER_MAC = bytes.fromhex("00005e005301")
    BCAST_MAC = b"\xff" * 6
    ZERO_MAC = b"\0" * 6
    ROUTER = bytes([192, 0, 2, 254])
    IP_A2 = bytes([192, 0, 2, 2])
    IP_NEW = bytes([192, 0, 2, 9])
    ZERO = bytes(4)

    def arp_padded(op, sha, spa, tha, tpa, dst):
        body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, sha, spa, tha, tpa)
        return eth(body + b"\0" * 18, etype=0x0806, src=sha, dst=dst)

    def via_router(pkt):
        return eth(pkt, src=MAC_A, dst=ROUTER_MAC)

    dgram = ipv4(17, udp(40000, 9, b"are you there?", src=IP_A, dst=IP_B), ttl=64, ident=0x0101)
    seen = ipv4(17, udp(40000, 9, b"are you there?", src=IP_A, dst=IP_B), ttl=61, ident=0x0101)
    unreach = struct.pack("!BBHI", 3, 3, 0, 0) + seen[:28]
    unreach = unreach[:2] + struct.pack("!H", csum(unreach)) + unreach[4:]
    probe = ipv4(17, udp(40001, 33434, b"", src=IP_A, dst=IP_B), ttl=1, ident=0x0202)
    exceeded = struct.pack("!BBHI", 11, 0, 0, 0) + probe[:28]
    exceeded = exceeded[:2] + struct.pack("!H", csum(exceeded)) + exceeded[4:]
    far = bytes([10, 1, 2, 3])
    mdns_src = bytes([172, 16, 5, 5])
    c["explain.pcap"] = pcap([
        (T0, 0, arp_padded(1, MAC_A, IP_A, ZERO_MAC, IP_A2, BCAST_MAC)),
        (T0 + 1, 0, arp_padded(1, MAC_A, IP_A, ZERO_MAC, IP_A2, BCAST_MAC)),
        (T0 + 1, 350, arp_padded(2, MAC_B, IP_A2, MAC_A, IP_A, MAC_A)),
        (T0 + 2, 0, arp_padded(1, MAC_B, ZERO, ZERO_MAC, IP_NEW, BCAST_MAC)),
        (T0 + 3, 0, arp_padded(1, MAC_B, IP_NEW, ZERO_MAC, IP_NEW, BCAST_MAC)),
        (T0 + 4, 0, arp_padded(2, MAC_B, IP_A2, BCAST_MAC, IP_A2, BCAST_MAC)),
        (T0 + 5, 0, via_router(dgram)),
        (T0 + 5, 20000, eth(ipv4(1, unreach, src=IP_B, dst=IP_A, ttl=125, ident=0x0303,
                                 flags=0), src=ROUTER_MAC, dst=MAC_A)),
        (T0 + 6, 0, via_router(probe)),
        (T0 + 6, 400, eth(ipv4(1, exceeded, src=ROUTER, dst=IP_A, ttl=255, ident=0x0404,
                               flags=0), src=ROUTER_MAC, dst=MAC_A)),
        (T0 + 7, 0, via_router(ipv4(1, icmp_echo(0x77, 1, b"ping"), src=IP_A, dst=far))),
        (T0 + 7, 12500, eth(ipv4(1, icmp_echo(0x77, 1, b"ping", typ=0), src=far, dst=IP_A,
                                 ttl=247), src=ROUTER_MAC, dst=MAC_A)),
        (T0 + 8, 0, eth(ipv4(17, udp(5353, 5353, b"\0" * 12, src=mdns_src,
                                     dst=bytes([224, 0, 0, 251])), src=mdns_src,
                             dst=bytes([224, 0, 0, 251]), ttl=255),
                        dst=bytes.fromhex("01005e0000fb"))),
    ])

    # http-by-content.pcap: HTTP on port 18080, which is not HTTP's: found by its content
    # (Wireshark's heuristic), a response whose headers come in a segment of their own and its
    # body in two more, as python3's http.server sends them. With reassembly the headers'
    # segment and the first body segment are "[TCP segment of a reassembled PDU]" and the last
    # one carries the whole response (tshark 4.0 reads it so).
    cport, sport = 51000, 18080
    req = b"GET /lesson.txt HTTP/1.1\r\nHost: 192.0.2.2:18080\r\n\r\n"
    head = (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 24\r\n\r\n")
    body = b"a lesson in two pieces.\n"
    cs, ss = 1000, 5000
    A, S, PA, F = 0x10, 0x02, 0x18, 0x01

    def c2s(t, flags, seq, ack, data=b""):
        return (T0, t, eth(ipv4(6, tcp(cport, sport, seq, ack, flags, data, src=IP_A, dst=IP_B),
                                src=IP_A, dst=IP_B)))

    def s2c(t, flags, seq, ack, data=b""):
        return (T0, t, eth(ipv4(6, tcp(sport, cport, seq, ack, flags, data, src=IP_B, dst=IP_A),
                                src=IP_B, dst=IP_A), src=MAC_B, dst=MAC_A))
    c["http-by-content.pcap"] = pcap([
        c2s(0, S, cs, 0),
        s2c(100, S | A, ss, cs + 1),
        c2s(200, A, cs + 1, ss + 1),
        c2s(300, PA, cs + 1, ss + 1, req),
        s2c(400, A, ss + 1, cs + 1 + len(req)),
        s2c(500, PA, ss + 1, cs + 1 + len(req), head),
        s2c(600, PA, ss + 1 + len(head), cs + 1 + len(req), body[:10]),
        s2c(700, PA | F, ss + 1 + len(head) + 10, cs + 1 + len(req), body[10:]),
        c2s(800, A | F, cs + 1 + len(req), ss + 2 + len(head) + len(body)),
        s2c(900, A, ss + 2 + len(head) + len(body), cs + 2 + len(req)),
    ])

    # icmp-quotes.pcap: ICMP errors that quote whole segments of a connection in progress, so
    # that what is dissected inside a quote must not be taken for the connection's own: a
    # request sent in two segments, between them a router's "fragmentation needed" quoting the
    # first one whole (IPv4, TCP and 24 bytes of the request), and a second request over IPv6
    # whose first segment comes back quoted in a "packet too big"; last, a "time exceeded"
    # quoting 8 bytes of TCP. tshark shows each quoted TCP header with its payload but no
    # tcp.len, no analysis and no reassembly, its sequence and acknowledgment numbers as they
    # are, and reassembles each request from its own two segments only.
    r4 = b"GET /quoted HTTP/1.1\r\nHost: 198.51.100.7\r\n\r\n"
    r6 = b"GET /quoted6 HTTP/1.1\r\nHost: [2001:db8::2]\r\n\r\n"
    c4, p4 = 41000, 80
    c6, p6 = 41001, 80

    def tcp4(t, sp, dp, seq, ack, flags, data=b"", rev=False):
        src, dst = (IP_B, IP_A) if rev else (IP_A, IP_B)
        return (T0, t, eth(ipv4(6, tcp(sp, dp, seq, ack, flags, data, src=src, dst=dst),
                                src=src, dst=dst), src=MAC_B if rev else MAC_A,
                           dst=MAC_A if rev else MAC_B))

    def tcp6(t, sp, dp, seq, ack, flags, data=b"", rev=False):
        src, dst = (IP6_B, IP6_A) if rev else (IP6_A, IP6_B)
        return (T0, t, eth(ipv6(6, tcp(sp, dp, seq, ack, flags, data, src=src, dst=dst, v6=True),
                                src=src, dst=dst), 0x86DD, src=MAC_B if rev else MAC_A,
                           dst=MAC_A if rev else MAC_B))
    router4 = bytes([192, 0, 2, 254])
    router6 = bytes.fromhex("20010db80000000000000000000000fe")
    first4 = ipv4(6, tcp(c4, p4, 101, 501, PA, r4[:24]), ident=0x0505)
    frag_needed = struct.pack("!BBHHH", 3, 4, 0, 0, 576) + first4
    frag_needed = frag_needed[:2] + struct.pack("!H", csum(frag_needed)) + frag_needed[4:]
    # and a router's "time exceeded" as most send them: the IP header and the first 8 bytes.
    classic = struct.pack("!BBHI", 11, 0, 0, 0) + first4[:28]
    classic = classic[:2] + struct.pack("!H", csum(classic)) + classic[4:]
    first6 = ipv6(6, tcp(c6, p6, 201, 601, PA, r6[:24], src=IP6_A, dst=IP6_B, v6=True))
    too_big = struct.pack("!BBHI", 2, 0, 0, 1280) + first6
    too_big = too_big[:2] + struct.pack("!H", csum(_pseudo6(router6, IP6_A, 58, len(too_big))
                                                   + too_big)) + too_big[4:]
    c["icmp-quotes.pcap"] = pcap([
        tcp4(0, c4, p4, 100, 0, S),
        tcp4(100, p4, c4, 500, 101, S | A, rev=True),
        tcp4(200, c4, p4, 101, 501, A),
        (T0, 300, eth(first4)),
        (T0, 400, eth(ipv4(1, frag_needed, src=router4, dst=IP_A, ident=0x0606, flags=0),
                      src=MAC_B, dst=MAC_A)),
        tcp4(500, c4, p4, 125, 501, PA, r4[24:]),
        tcp4(600, p4, c4, 501, 101 + len(r4), A, rev=True),
        tcp6(1000, c6, p6, 200, 0, S),
        tcp6(1100, p6, c6, 600, 201, S | A, rev=True),
        tcp6(1200, c6, p6, 201, 601, A),
        (T0, 1300, eth(first6, 0x86DD)),
        (T0, 1400, eth(ipv6(58, too_big, src=router6, dst=IP6_A), 0x86DD, src=MAC_B,
                       dst=MAC_A)),
        tcp6(1500, c6, p6, 225, 601, PA, r6[24:]),
        tcp6(1600, p6, c6, 601, 201 + len(r6), A, rev=True),
        (T0, 2000, eth(ipv4(1, classic, src=router4, dst=IP_A, ident=0x0707, flags=0),
                       src=MAC_B, dst=MAC_A)),
    ])

    # tcp-out-of-order.pcap: HTTP downloads whose segments the capture saw out of order, one
    # connection each (client ports 51201-51205), the response 5,041 bytes in six segments of
    # 1,000 and one of 41 (Content-Length known from the first). tshark 4.0 adds every segment
    # that falls within a message of known length at its offset, in whatever order it comes,
    # and completes the message in the frame that makes it whole, but takes no segment its TCP
    # analysis calls a retransmission (a fast one it does take). The handshake's RTT (SYN to
    # the ACK that completes it) is the analysis' out-of-order threshold.
    #  51201: segment 3 before 2, each 100 us after the one before: out of order, reassembled.
    #  51202: segments 4 and 3 before 2; 2 comes 200 us after 4, past the 200 us RTT: a
    #         retransmission, not taken, and the message never completes; a second request on
    #         the connection is answered in order and dissected as usual.
    #  51203: segment 3 before 2, then three duplicate ACKs and 2 again 5 ms later: a fast
    #         retransmission, taken.
    #  51204: the last segment, with the FIN, first; the handshake took 20 ms, so the others
    #         are out of order, taken, and the message completes with the last of them.
    #  51205: segment 2 never comes; the next response's first segment is past the message's
    #         end: the message is dropped there (a hole) and the next one read as usual.
    #  51206: a copy of segment 1 comes 100 us after segment 2: out of order, bytes already
    #         taken; tshark still lists it among the message's segments (an overlapping
    #         fragment), after the first copy.
    ooo_body = bytes((i * 7) & 0xFF for i in range(5000))
    ooo_resp = b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + ooo_body
    ooo_segs = [ooo_resp[i:i + 1000] for i in range(0, len(ooo_resp), 1000)]
    ooo_req = b"GET /ooo.bin HTTP/1.1\r\nHost: 198.51.100.7\r\n\r\n"
    ooo_small = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n"

    def ooo_conn(cport, t, order, rtt=100, dupacks_before=None, fin=False, again=False):
        c2s = lambda t, fl, seq, ack, data=b"": (T0, t, eth(ipv4(6, tcp(cport, 80, seq, ack, fl, data))))
        s2c = lambda t, fl, seq, ack, data=b"": (T0, t, eth(ipv4(6, tcp(
            80, cport, seq, ack, fl, data, src=IP_B, dst=IP_A), src=IP_B, dst=IP_A),
            src=MAC_B, dst=MAC_A))
        cs, ss = 1000, 5000
        ack = cs + 1 + len(ooo_req)
        recs = [c2s(t, S, cs, 0), s2c(t + rtt, S | A, ss, cs + 1), c2s(t + 2 * rtt, A, cs + 1, ss + 1),
                c2s(t + 2 * rtt + 100, PA, cs + 1, ss + 1, ooo_req)]
        t += 2 * rtt + 10000
        for k in order:
            if k == dupacks_before:  # three duplicate ACKs for the gap, then the fast one
                for _ in range(3):
                    recs.append(c2s(t, A, ack, ss + 1 + 1000 * k))
                    t += 100
                t += 5000
            last = k == len(ooo_segs) - 1
            fl = (PA | F) if last and fin else PA if last else A
            recs.append(s2c(t, fl, ss + 1 + 1000 * k, ack, ooo_segs[k]))
            t += 100
        end = ss + 1 + len(ooo_resp) + (1 if fin else 0)
        recs.append(c2s(t, A, ack, end))
        if again:  # the next request, answered in order
            recs.append(c2s(t + 100, PA, ack, end, ooo_req))
            recs.append(s2c(t + 200, PA, end, ack + len(ooo_req), ooo_small))
            recs.append(c2s(t + 300, A, ack + len(ooo_req), end + len(ooo_small)))
        return recs

    c["tcp-out-of-order.pcap"] = pcap(
        ooo_conn(51201, 0, [0, 1, 3, 2, 4, 5]) +
        ooo_conn(51202, 100000, [0, 1, 4, 3, 2, 5], again=True) +
        ooo_conn(51203, 200000, [0, 1, 3, 2, 4, 5], dupacks_before=2) +
        ooo_conn(51204, 300000, [0, 1, 5, 2, 3, 4], rtt=10000, fin=True) +
        ooo_conn(51205, 400000, [0, 1, 3, 4, 5], again=True) +
        ooo_conn(51206, 500000, [0, 1, 2, 1, 3, 4, 5]))

    # tls-heuristic.pcap: TLS that no port names and no ClientHello opens, and an encrypted
    # Finished that reads like a handshake message. tshark 4.0's tls_tcp heuristic (on by
    # default) takes a payload that starts with a handshake or application data record header
    # of SSL 3.0 to TLS 1.2 with a sane length as TLS, and the conversation from there on.
    #  52001 -> 8443: a connection whose handshake came before the capture: the client's
    #         application data record, then the server's of 2,500 bytes in two segments,
    #         reassembled; then a record of another type (alert) that the heuristic alone
    #         would not take, read as TLS because the conversation is.
    #  52002 -> 4433: a payload that starts with an alert record: not taken (data).
    #  52003 -> 443: the server's ChangeCipherSpec and its encrypted Finished in one segment,
    #         the Finished's first bytes 00 00 00 0c (a message of type 0 and length 12 to one
    #         that does not know the cipher changed): "Encrypted Handshake Message".
    def tls_rec(ct, body, ver=0x0303):
        return struct.pack("!BHH", ct, ver, len(body)) + body

    def tls_conn(cport, sport_, t, c2s_data, s2c_segs):
        cli = lambda t, fl, seq, ack, data=b"": (T0, t, eth(ipv4(6, tcp(cport, sport_, seq, ack, fl, data))))
        srv = lambda t, fl, seq, ack, data=b"": (T0, t, eth(ipv4(6, tcp(
            sport_, cport, seq, ack, fl, data, src=IP_B, dst=IP_A), src=IP_B, dst=IP_A),
            src=MAC_B, dst=MAC_A))
        cs, ss = 7000, 9000
        recs = [cli(t, PA, cs, ss, c2s_data)]
        seq = ss
        for i, seg in enumerate(s2c_segs):
            recs.append(srv(t + 100 * (i + 1), PA, seq, cs + len(c2s_data), seg))
            seq += len(seg)
        recs.append(cli(t + 100 * (len(s2c_segs) + 1), A, cs + len(c2s_data), seq))
        return recs

    appdata = bytes((i * 13) & 0xFF for i in range(2500))
    big = tls_rec(23, appdata)
    encrypted_finished = bytes([0, 0, 0, 12]) + bytes((i * 29 + 5) & 0xFF for i in range(36))
    c["tls-heuristic.pcap"] = pcap(
        tls_conn(52001, 8443, 0, tls_rec(23, bytes(range(40))),
                 [big[:1400], big[1400:], tls_rec(21, bytes(range(26)))]) +
        tls_conn(52002, 4433, 10000, tls_rec(21, bytes(range(26))), [b"\x01\x02\x03\x04"]) +
        tls_conn(52003, 443, 20000, tls_rec(23, bytes(range(32))),
                 [tls_rec(20, b"\x01") + tls_rec(22, encrypted_finished)]))

    # tls-cipher-change.pcap: when a handshake record is encrypted, as tshark 4.0 decides it
    # without keys (packet-tls.c is_encrypted_handshake_message): a record of fewer than 16
    # bytes is plaintext; one whose first five bytes are zero is encrypted (an AEAD record's
    # explicit nonce); one after a ChangeCipherSpec its direction sent in an earlier frame is
    # encrypted; else one whose first message has an unknown type or a length of 64 KB or more.
    # Port 443, one connection; each payload is acknowledged in the next frame (S: the server's):
    #   1 ClientHello
    #   3 S ServerHello, then ChangeCipherSpec: both read as such
    #   5 S a handshake record of 40 bytes that reads as two Finished messages: encrypted (the
    #       server's ChangeCipherSpec was in frame 3)
    #   7 a handshake record of 20 bytes from the client, which sent no ChangeCipherSpec: a
    #       Finished of 4 bytes, one of the unknown type 99 (skipped), a Finished of 0
    #   9 the client's ChangeCipherSpec and the 40 bytes of frame 5, in one frame: plaintext
    #       ("Finished, Finished"; nothing earlier says the client's cipher changed)
    #  11 the client's ChangeCipherSpec and a record that starts with five zero bytes: encrypted
    #  13 S a handshake record of 8 zero bytes, after the ChangeCipherSpec: two Hello Requests
    #       (too short to be encrypted)
    #  15 the 40 bytes of frame 5 from the client: encrypted (its ChangeCipherSpec was in 9)
    def tls_dialogue(cport, t, turns):
        cs, ss = 3000, 5000
        recs = []
        for i, (from_server, data) in enumerate(turns):
            at = t + 200 * i
            if from_server:
                recs.append((T0, at, eth(ipv4(6, tcp(443, cport, ss, cs, PA, data, src=IP_B,
                                                     dst=IP_A), src=IP_B, dst=IP_A),
                                         src=MAC_B, dst=MAC_A)))
                ss += len(data)
                recs.append((T0, at + 100, eth(ipv4(6, tcp(cport, 443, cs, ss, A)))))
            else:
                recs.append((T0, at, eth(ipv4(6, tcp(cport, 443, cs, ss, PA, data)))))
                cs += len(data)
                recs.append((T0, at + 100, eth(ipv4(6, tcp(443, cport, ss, cs, A, src=IP_B,
                                                           dst=IP_A), src=IP_B, dst=IP_A),
                                               src=MAC_B, dst=MAC_A)))
        return recs

    def hs_msg(typ, body):
        return struct.pack("!B", typ) + struct.pack("!I", len(body))[1:] + body

    server_hello = hs_msg(2, b"\x03\x03" + bytes(range(32)) + b"\x00\xc0\x2f\x00")
    looks_finished = hs_msg(20, bytes(range(1, 13))) + hs_msg(20, bytes(range(40, 60)))
    zero_nonce = bytes(8) + bytes((i * 11 + 3) & 0xFF for i in range(32))
    c["tls-cipher-change.pcap"] = pcap(tls_dialogue(52101, 0, [
        (False, client_hello()),
        (True, tls_rec(22, server_hello) + tls_rec(20, b"\x01")),
        (True, tls_rec(22, looks_finished)),
        (False, tls_rec(22, hs_msg(20, bytes(4)) + hs_msg(99, bytes(4)) + hs_msg(20, b""))),
        (False, tls_rec(20, b"\x01") + tls_rec(22, looks_finished)),
        (False, tls_rec(20, b"\x01") + tls_rec(22, zero_nonce)),
        (True, tls_rec(22, bytes(8))),
        (False, tls_rec(22, looks_finished)),
    ]))

    # tls-fragments.pcap: handshake messages that span records, the edges that
    # tls12-fragments.pcap (openssl's) does not reach, as tshark 4.0 puts them together
    # (packet-tls.c dissect_tls_handshake). Port 443, each payload acknowledged in the next
    # frame (S: the server's):
    #   1 ClientHello
    #   3 S ServerHello; a record of 2 bytes, a Certificate's type and the first byte of its
    #       length ("[Certificate Fragment]": its length not yet known); a record of its other
    #       5 bytes (an empty chain) and a ServerHelloDone
    #   5 S a record with a ServerKeyExchange and the first 3 bytes of a message of the unknown
    #       type 99 and 10 bytes: a fragment, not named (not the record's first message)
    #   7 S its other 11 bytes: the message put together, of unknown type ("Encrypted
    #       Handshake Message", as tshark names it)
    #   9 S a record with the first 60 bytes of a CertificateRequest of 100
    #  11 S a ChangeCipherSpec, then a record with the CertificateRequest's other 44 bytes and
    #       a Finished of 12: both read in clear (after a ChangeCipherSpec of an earlier frame a
    #       record is encrypted, but not one that continues a message)
    cert_empty = hs_msg(11, b"\x00\x00\x00")
    unknown = hs_msg(99, bytes(range(10)))
    cert_req_100 = hs_msg(13, bytes((i * 7 + 1) & 0xFF for i in range(96)))
    c["tls-fragments.pcap"] = pcap(tls_dialogue(52201, 0, [
        (False, client_hello()),
        (True, tls_rec(22, server_hello) + tls_rec(22, cert_empty[:2]) +
         tls_rec(22, cert_empty[2:] + hs_msg(14, b""))),
        (True, tls_rec(22, hs_msg(12, bytes(range(20))) + unknown[:3])),
        (True, tls_rec(22, unknown[3:])),
        (True, tls_rec(22, cert_req_100[:60])),
        (True, tls_rec(20, b"\x01") + tls_rec(22, cert_req_100[60:] + hs_msg(20, bytes(range(12))))),
    ]))

    # --- a reassembled message past 64 KiB: an HTTP response of 66,000 bytes (a body of
    # application/octet-stream) in two segments of 33,000 (loopback-sized frames), after the
    # request. tcp.reassembled.data and the body's bytes are longer than a field's 16-bit
    # length: every byte of them must still be shown, as tshark shows them.
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Length: %d\r\n\r\n")
    body_len = 66000 - len(head % 66000)
    response = head % body_len + bytes((i * 31 + 7) & 0xFF for i in range(body_len))
    request = b"GET /big.bin HTTP/1.1\r\nHost: example.com\r\n\r\n"
    c_seq, s_seq = 1000, 5000
    c["http-64k.pcap"] = pcap([
        (T0, 0, eth(ipv4(6, tcp(40080, 80, c_seq, s_seq, 0x18, request)))),
        (T0, 100, eth(ipv4(6, tcp(80, 40080, s_seq, c_seq + len(request), 0x10, response[:33000],
                                  src=IP_B, dst=IP_A), src=IP_B, dst=IP_A), src=MAC_B, dst=MAC_A)),
        (T0, 200, eth(ipv4(6, tcp(80, 40080, s_seq + 33000, c_seq + len(request), 0x18,
                                  response[33000:], src=IP_B, dst=IP_A), src=IP_B, dst=IP_A),
                      src=MAC_B, dst=MAC_A)),
    ])
    return c


def snap(src, snaplen):
    """The records of a classic pcap file cut to `snaplen` bytes each (as tcpdump -s does)."""
    data = open(src, "rb").read()
    e = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    hdr = bytearray(data[:24])
    struct.pack_into(e + "I", hdr, 16, snaplen)
    out, pos = bytes(hdr), 24
    while pos + 16 <= len(data):
        ts, tsf, incl, orig = struct.unpack(e + "IIII", data[pos:pos + 16])
        body = data[pos + 16:pos + 16 + incl][:snaplen]
        out += struct.pack(e + "IIII", ts, tsf, len(body), orig) + body
        pos += 16 + incl
    return out


def truncated_variants(here):
    """Truncated variants of captures of real traffic, next to the full ones in tests/pcaps."""
    c = {}
    c["http-get-snap64.pcap"] = snap(os.path.join(here, "http-get.pcap"), 64)
    c["dns-snap60.pcap"] = snap(os.path.join(here, "dns.pcap"), 60)
    c["ipv6-nd-snap70.pcap"] = snap(os.path.join(here, "ipv6-nd.pcap"), 70)
    full = open(os.path.join(here, "http-get.pcap"), "rb").read()
    pos = 24
    for _ in range(7):   # the file cut in the middle of the 8th record (the HTTP response)
        pos += 16 + struct.unpack("<I", full[pos + 8:pos + 12])[0]
    c["http-get-cut.pcap"] = full[:pos + 16 + 100]
    return c


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "crafted")
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    for name, data in sorted(list(cases().items()) + list(truncated_variants(here).items())):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print("%-32s %6d bytes" % (name, len(data)))


if __name__ == "__main__":
    main()
