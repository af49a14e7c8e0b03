#!/usr/bin/env python3
"""Small real network programs that make-pcaps.sh runs inside its network namespaces.

Each subcommand is one side of one exchange (a server or a client). They use only the
python3 standard library and real kernel sockets, so the captured traffic is what the
Linux TCP/IP stack really sends. Every program is bounded: servers exit after serving
their clients or after a deadline, clients use socket timeouts.

Usage: netprogs.py <subcommand> [args...]   (see the table at the end of the file)
"""
import select
import socket
import struct
import sys
import time

DEADLINE = 20.0  # no program runs longer than this many seconds


def _listen(addr, port, rcvbuf=0, family=socket.AF_INET):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        # Set before listen() so the window clamp and scale of the SYN/ACK follow it.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((addr, port))
    s.listen(4)
    s.settimeout(DEADLINE)
    return s


def _connect(addr, port, lport=0, timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if lport:
        s.bind(("0.0.0.0", lport))
    s.settimeout(timeout)
    s.connect((addr, port))
    return s


def _drain(s, limit=1 << 20):
    """Read until EOF (bounded); returns the bytes read."""
    out = b""
    while len(out) < limit:
        try:
            b = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not b:
            break
        out += b
    return out


# ---- half-close: client sends a request and shuts down its sending side; the server
# keeps sending its answer in several pieces, then closes.
def half_close_server(addr, port):
    ls = _listen(addr, int(port))
    c, _ = ls.accept()
    c.settimeout(5)
    req = _drain(c)
    for i in range(3):
        c.sendall(b"part %d of the answer to %d request bytes\n" % (i + 1, len(req)))
        time.sleep(0.05)
    c.close()
    ls.close()


def half_close_client(addr, port, lport):
    s = _connect(addr, int(port), int(lport))
    s.sendall(b"REQUEST: please answer after my FIN\n")
    s.shutdown(socket.SHUT_WR)
    _drain(s)
    s.close()


# ---- rst-abort: the server streams data; the client reads a little, then closes with
# SO_LINGER {on, 0}, which makes the kernel send RST instead of FIN.
def rst_server(addr, port):
    ls = _listen(addr, int(port))
    c, _ = ls.accept()
    try:
        for i in range(20):
            c.sendall(bytes([65 + i % 26]) * 1000)
            time.sleep(0.05)
    except (BrokenPipeError, ConnectionResetError):
        pass
    c.close()
    ls.close()


def rst_client(addr, port, lport):
    s = _connect(addr, int(port), int(lport))
    s.sendall(b"GIVE ME DATA\n")
    got = 0
    while got < 3000:
        b = s.recv(4096)
        if not b:
            break
        got += len(b)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


# ---- simultaneous close: both ends agree on a wall-clock instant and shut down their
# sending side at that instant; with netem delay on the link, the FINs cross.
def _sleep_until(t):
    d = t - time.time()
    if 0 < d < DEADLINE:
        time.sleep(d)


def simclose_server(addr, port):
    ls = _listen(addr, int(port))
    c, _ = ls.accept()
    c.settimeout(5)
    line = c.recv(100)
    t = float(line.split()[1])
    c.sendall(b"OK closing at %.3f\n" % t)
    _sleep_until(t)
    c.shutdown(socket.SHUT_WR)
    _drain(c)
    c.close()
    ls.close()


def simclose_client(addr, port, lport):
    s = _connect(addr, int(port), int(lport))
    t = time.time() + 0.5
    s.sendall(b"CLOSE-AT %.3f\n" % t)
    s.recv(100)
    _sleep_until(t)
    s.shutdown(socket.SHUT_WR)
    _drain(s)
    s.close()


# ---- simultaneous open: both ends bind a fixed port and connect() to each other at the
# same instant; with netem delay on the link, the SYNs cross (RFC 9293 figure 8).
def simopen(laddr, lport, raddr, rport, at):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((laddr, int(lport)))
    s.settimeout(5)
    _sleep_until(float(at))
    s.connect((raddr, int(rport)))
    s.sendall(b"hello from %s:%s\n" % (laddr.encode(), lport.encode()))
    s.recv(100)
    time.sleep(0.2)
    s.shutdown(socket.SHUT_WR)
    _drain(s)
    s.close()


# ---- keep-alive: an idle connection with SO_KEEPALIVE and a 1 s idle time.
def keepalive_server(addr, port):
    ls = _listen(addr, int(port))
    c, _ = ls.accept()
    c.settimeout(10)
    c.recv(100)
    c.sendall(b"PONG\n")
    _drain(c)
    c.close()
    ls.close()


def keepalive_client(addr, port, lport, idle):
    s = _connect(addr, int(port), int(lport))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)
    s.sendall(b"PING\n")
    s.recv(100)
    time.sleep(float(idle))
    s.close()


# ---- zero window: the server has a tiny receive buffer and does not read for a while;
# the client keeps sending, so the window closes and the client sends zero-window probes.
def zerowin_server(addr, port, pause):
    ls = _listen(addr, int(port), rcvbuf=2048)
    c, _ = ls.accept()
    time.sleep(float(pause))
    c.settimeout(3)
    _drain(c)
    c.close()
    ls.close()


def zerowin_client(addr, port, lport, total):
    s = _connect(addr, int(port), int(lport))
    data = b"z" * int(total)
    s.settimeout(10)
    s.sendall(data)  # blocks while the window is zero; the server reads after its pause
    s.shutdown(socket.SHUT_WR)
    _drain(s)
    s.close()


# ---- UDP request/response (port 7, the echo service of RFC 862).
def udp_echo_server(addr, port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    s.settimeout(DEADLINE)
    for _ in range(int(count)):
        try:
            b, peer = s.recvfrom(2048)
        except socket.timeout:
            break
        s.sendto(b, peer)
    s.close()


def udp_echo_client(addr, port, lport, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(lport)))
    s.settimeout(2)
    for i in range(int(count)):
        s.sendto(b"echo request %d: the quick brown fox\n" % (i + 1), (addr, int(port)))
        try:
            s.recvfrom(2048)
        except socket.timeout:
            pass
        time.sleep(0.05)
    s.close()


def udp_probe(addr, port, lport):
    """One datagram to a closed port: the kernel answers ICMP port unreachable."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(lport)))
    s.sendto(b"anyone there?", (addr, int(port)))
    time.sleep(0.2)
    s.close()


# ---- DNS (RFC 1035): a tiny authoritative responder for example.com over UDP and TCP,
# with name compression in answers, and a client that retries over TCP when the UDP
# answer is truncated (TC bit), as real resolvers do.
ZONE = {
    ("www.example.com", 1): [("A", "192.0.2.80")],
    ("www.example.com", 28): [("AAAA", "2001:db8::80")],
    ("alias.example.com", 1): [("CNAME", "www.example.com"), ("A", "192.0.2.80")],
    ("example.com", 15): [("MX", (10, "mail.example.com"))],
    ("big.example.com", 16): [("TXT", ["v=test%02d " % i + "x" * 40 for i in range(16)])],
}
TYPES = {"A": 1, "NS": 2, "CNAME": 5, "MX": 15, "TXT": 16, "AAAA": 28}


def _enc_name(name, msg, table):
    """Encodes a name with compression pointers to suffixes already in msg."""
    out = b""
    labels = name.rstrip(".").split(".") if name else []
    for i in range(len(labels)):
        suffix = ".".join(labels[i:]).lower()
        if suffix in table:
            return out + struct.pack("!H", 0xC000 | table[suffix])
        pos = len(msg) + len(out)
        if pos < 0x3FFF:
            table[suffix] = pos
        lab = labels[i].encode()
        out += bytes([len(lab)]) + lab
    return out + b"\0"


def _parse_question(q):
    if len(q) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", q[:6])
    pos, labels = 12, []
    while pos < len(q) and q[pos] != 0:
        n = q[pos]
        if n >= 64 or pos + 1 + n > len(q):
            return None
        labels.append(q[pos + 1:pos + 1 + n].decode("ascii", "replace"))
        pos += 1 + n
    if pos + 5 > len(q):
        return None
    qtype, qclass = struct.unpack("!HH", q[pos + 1:pos + 5])
    return qid, flags, ".".join(labels), qtype, qclass, q[12:pos + 5]


def _answer(q, over_udp):
    p = _parse_question(q)
    if p is None:
        return None
    qid, qflags, qname, qtype, _, qraw = p
    rrs = ZONE.get((qname.lower(), qtype))
    known = any(k[0] == qname.lower() for k in ZONE)
    rcode = 0 if (rrs or known) else 3
    flags = 0x8400 | (qflags & 0x0100) | rcode  # QR, AA, copy RD
    msg = bytearray(struct.pack("!HHHHHH", qid, flags, 1, 0, 0, 0)) + qraw
    table = {}
    # register the question name for compression
    labels = qname.split(".")
    off = 12
    for i in range(len(labels)):
        table.setdefault(".".join(labels[i:]).lower(), off)
        off += 1 + len(labels[i])
    ancount = 0
    owner = qname
    for typ, val in rrs or []:
        rr = bytearray(_enc_name(owner, msg, table))
        rr += struct.pack("!HHI", TYPES[typ], 1, 300)
        rdstart = len(msg) + len(rr) + 2
        if typ == "A":
            rd = socket.inet_pton(socket.AF_INET, val)
        elif typ == "AAAA":
            rd = socket.inet_pton(socket.AF_INET6, val)
        elif typ == "CNAME":
            rd = _enc_name(val, bytearray(rdstart), table)
        elif typ == "MX":
            rd = struct.pack("!H", val[0]) + _enc_name(val[1], bytearray(rdstart + 2), table)
        else:  # TXT
            rd = b"".join(bytes([len(t)]) + t.encode() for t in val)
        rr += struct.pack("!H", len(rd)) + rd
        msg += rr
        ancount += 1
        if typ == "CNAME":
            owner = val
    struct.pack_into("!H", msg, 6, ancount)
    if over_udp and len(msg) > 512:
        # RFC 1035 4.2.1: truncate and set TC; the client retries over TCP.
        msg = bytearray(struct.pack("!HHHHHH", qid, flags | 0x0200, 1, 0, 0, 0)) + qraw
    return bytes(msg)


def dns_server(addr, port, count):
    """Serves `count` queries (UDP or TCP), then exits."""
    us = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    us.bind((addr, int(port)))
    ts = _listen(addr, int(port))
    served, end = 0, time.time() + DEADLINE
    while served < int(count) and time.time() < end:
        r, _, _ = select.select([us, ts], [], [], 1.0)
        if us in r:
            q, peer = us.recvfrom(4096)
            a = _answer(q, True)
            if a:
                us.sendto(a, peer)
            served += 1
        if ts in r:
            c, _ = ts.accept()
            c.settimeout(3)
            buf = _drain(c, 1 << 16) if False else b""
            while True:
                try:
                    b = c.recv(4096)
                except socket.timeout:
                    break
                if not b:
                    break
                buf += b
                while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                    n = struct.unpack("!H", buf[:2])[0]
                    a = _answer(buf[2:2 + n], False)
                    buf = buf[2 + n:]
                    served += 1
                    if a:
                        c.sendall(struct.pack("!H", len(a)) + a)
            c.close()
    us.close()
    ts.close()


def _query(qid, name, qtype, rd=True):
    q = struct.pack("!HHHHHH", qid, 0x0100 if rd else 0, 1, 0, 0, 0)
    for lab in name.split("."):
        q += bytes([len(lab)]) + lab.encode()
    return q + b"\0" + struct.pack("!HH", qtype, 1)


def _tcp_query(addr, port, lport, q):
    s = _connect(addr, port, lport)
    s.sendall(struct.pack("!H", len(q)) + q)
    buf = b""
    while len(buf) < 2 or len(buf) < 2 + struct.unpack("!H", buf[:2])[0]:
        b = s.recv(4096)
        if not b:
            break
        buf += b
    s.close()
    return buf[2:]


def dns_client(addr, port, lport):
    port, lport = int(port), int(lport)
    us = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    us.bind(("0.0.0.0", lport))
    us.settimeout(2)
    queries = [("www.example.com", 1), ("www.example.com", 28), ("alias.example.com", 1),
               ("example.com", 15), ("nosuchname.example.com", 1), ("big.example.com", 16)]
    tcp_lport = lport + 1
    for i, (name, qtype) in enumerate(queries):
        q = _query(0x1000 + i, name, qtype)
        us.sendto(q, (addr, port))
        try:
            a, _ = us.recvfrom(4096)
        except socket.timeout:
            continue
        if len(a) > 2 and a[2] & 0x02:  # TC: retry over TCP
            _tcp_query(addr, port, tcp_lport, q)
            tcp_lport += 1
        time.sleep(0.05)
    # One plain query over TCP as well.
    _tcp_query(addr, port, tcp_lport, _query(0x2000, "www.example.com", 1))
    us.close()


# ---- impair-bridge: a user-space stand-in for `tc ... netem delay loss reorder`, for kernels
# without sch_netem. It forwards Ethernet frames between two interfaces (AF_PACKET), each one
# `delay_ms` after it arrived (both directions); frames arriving on `impaired_if` that carry
# TCP payload are dropped with probability `loss`, or held back and sent after the next such
# frame (or 30 ms later) with probability `reorder`. A fixed seed makes a run repeatable for
# the same traffic.
def impair_bridge(impaired_if, other_if, loss, reorder, seed, duration, delay_ms="0"):
    import collections
    import random
    rnd = random.Random(int(seed))
    loss, reorder, delay = float(loss), float(reorder), float(delay_ms) / 1000.0
    ETH_P_ALL = 0x0003
    socks = {}
    for name in (impaired_if, other_if):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        socks[name] = s
    peer = {impaired_if: socks[other_if], other_if: socks[impaired_if]}
    queue = collections.deque()  # (due time, socket, frame), due times never decrease
    held, held_at = None, 0.0
    end = time.time() + min(float(duration), DEADLINE * 3)

    def later(sock, frame):
        queue.append((time.time() + delay, sock, frame))

    while time.time() < end:
        wait = 0.01
        if queue:
            wait = max(0.0, min(wait, queue[0][0] - time.time()))
        r, _, _ = select.select(list(socks.values()), [], [], wait)
        now = time.time()
        while queue and queue[0][0] <= now:
            _, sock, frame = queue.popleft()
            sock.send(frame)
        if held is not None and now - held_at > 0.03:
            later(socks[other_if], held)
            held = None
        for name, s in socks.items():
            if s not in r:
                continue
            frame, addr = s.recvfrom(65536)
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            out = peer[name]
            if name == impaired_if and _tcp_payload(frame):
                x = rnd.random()
                if x < loss:
                    continue
                if held is None and x < loss + reorder:
                    held, held_at = frame, time.time()
                    continue
                later(out, frame)
                if held is not None:
                    later(out, held)
                    held = None
                continue
            later(out, frame)


def _tcp_payload(frame):
    """True for an untagged Ethernet/IPv4/TCP frame that carries payload bytes."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return False
    ihl = (frame[14] & 0x0F) * 4
    total = struct.unpack("!H", frame[16:18])[0]
    if len(frame) < 14 + ihl + 13:
        return False
    thl = (frame[14 + ihl + 12] >> 4) * 4
    return total - ihl - thl > 0


# ---- pcap-vlan: for kernels without the 8021q module, puts VLAN tags into the Ethernet
# frames of a capture of real traffic (classic pcap, little- or big-endian): every frame gets
# an 802.1Q tag with VLAN `vid`, except the last `qinq` frames, which get an 802.1ad S-tag
# (`svid`) and an 802.1Q C-tag (`cvid`), as on a provider bridge (IEEE 802.1ad).
def pcap_vlan(src, dst, vid, qinq, svid, cvid):
    data = open(src, "rb").read()
    magic = data[:4]
    e = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out = bytearray(data[:24])
    recs, pos = [], 24
    while pos + 16 <= len(data):
        ts, tsf, incl, orig = struct.unpack(e + "IIII", data[pos:pos + 16])
        recs.append((ts, tsf, orig, data[pos + 16:pos + 16 + incl]))
        pos += 16 + incl
    first_qinq = len(recs) - int(qinq)
    for i, (ts, tsf, orig, frame) in enumerate(recs):
        if i < first_qinq:
            tag = struct.pack("!HH", 0x8100, int(vid))
        else:
            tag = struct.pack("!HHHH", 0x88A8, int(svid), 0x8100, int(cvid))
        frame = frame[:12] + tag + frame[12:]
        out += struct.pack(e + "IIII", ts, tsf, len(frame), orig + len(tag)) + frame
    open(dst, "wb").write(bytes(out))


COMMANDS = {
    "half-close-server": half_close_server, "half-close-client": half_close_client,
    "rst-server": rst_server, "rst-client": rst_client,
    "simclose-server": simclose_server, "simclose-client": simclose_client,
    "simopen": simopen,
    "keepalive-server": keepalive_server, "keepalive-client": keepalive_client,
    "zerowin-server": zerowin_server, "zerowin-client": zerowin_client,
    "udp-echo-server": udp_echo_server, "udp-echo-client": udp_echo_client,
    "udp-probe": udp_probe,
    "dns-server": dns_server, "dns-client": dns_client,
    "impair-bridge": impair_bridge, "pcap-vlan": pcap_vlan,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit("usage: netprogs.py {%s} args..." % "|".join(sorted(COMMANDS)))
    COMMANDS[sys.argv[1]](*sys.argv[2:])
