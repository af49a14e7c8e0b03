#!/usr/bin/env python3
"""Scripted SMTP, POP3 and IMAP conversations whose lines are written in pieces
(make-linereasm.sh).

Both ends know the whole conversation: a list of turns, each the pieces one side writes. The
side whose turn it is writes its pieces one by one with TCP_NODELAY and a short sleep between
them, so that each piece leaves as its own TCP segment (a line cut in two, a multi-line reply
in three segments, a DATA body across four); the other side reads exactly that many bytes.
Every wait is bounded (socket timeouts, a fixed number of turns).

Usage: linepieces.py server|client smtp|pop3|imap ADDR PORT
       linepieces.py drop SRC.pcap DST.pcap FRAME...   (a copy without those frames: a hole)
"""
import socket
import struct
import sys
import time

TIMEOUT = 5
PAUSE = 0.05

MAIL = (b"From: alice@example.org\r\nTo: bob@example.org\r\n",
        b"Subject: pieces\r\n\r\nHello Bob,\r\nthis body is written in pieces.\r\n",
        b"..a line that starts with a dot\r\nBye.\r\n")
MAIL_ALL = b"".join(MAIL)

# (side, pieces): "S" the server writes, "C" the client.
CONVERSATIONS = {
    "smtp": [
        ("S", [b"220 mx.exa", b"mple.org ESMTP ready\r\n"]),
        ("C", [b"EH", b"LO client.example.org\r\n"]),
        ("S", [b"250-mx.example.org\r\n250-PIPEL", b"INING\r\n250-SIZE 10240000\r\n",
               b"250 HELP\r\n"]),
        ("C", [b"MAIL FROM:<alice@example.org>\r\n"]),
        ("S", [b"250 OK\r\n"]),
        ("C", [b"RCPT TO:<bo", b"b@example.org>\r\n"]),
        ("S", [b"250 Accepted\r\n"]),
        ("C", [b"DATA\r\n"]),
        ("S", [b"354 Enter message, ending with \".\" on a line by itself\r\n"]),
        ("C", [MAIL[0], MAIL[1][:-22], MAIL[1][-22:-13], MAIL[1][-13:] + MAIL[2] + b".\r\n"]),
        ("S", [b"250 OK id=1a2b3c\r\n"]),
        ("C", [b"NOOP\r\nQUIT\r\n"]),
        ("S", [b"250 OK\r\n", b"221 mx.example.org closing connection\r\n"]),
    ],
    "pop3": [
        ("S", [b"+OK POP3 ", b"server ready\r\n"]),
        ("C", [b"USER bob\r\n"]),
        ("S", [b"+OK\r\n"]),
        ("C", [b"PA", b"SS secret\r\n"]),
        ("S", [b"+OK logged in\r\n"]),
        ("C", [b"CAPA\r\n"]),
        ("S", [b"+OK Capability list follows\r\nUSER\r\n", b"UIDL\r\nTOP\r\n.\r\n"]),
        ("C", [b"STAT\r\n"]),
        ("S", [b"+OK 1 %d\r\n" % len(MAIL_ALL)]),
        ("C", [b"LIST\r\n"]),
        ("S", [b"+OK 1 messages\r\n1 %d\r\n" % len(MAIL_ALL), b".\r\n"]),
        ("C", [b"RETR 1\r\n"]),
        ("S", [b"+OK %d octets\r\n" % len(MAIL_ALL) + MAIL[0], MAIL[1], MAIL[2] + b".\r\n"]),
        ("C", [b"TOP 1 0\r\n"]),
        ("S", [b"+OK top of message follows\r\n", MAIL[0], b"Subject: pieces\r\n\r\n.\r\n"]),
        ("C", [b"QUIT\r\n"]),
        ("S", [b"+OK bye\r\n"]),
    ],
    "imap": [
        ("S", [b"* OK IMAP4rev1 ", b"server ready\r\n"]),
        ("C", [b"A001 CAPA", b"BILITY\r\n"]),
        ("S", [b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n", b"A001 OK CAPABILITY completed\r\n"]),
        ("C", [b"A002 LOGIN bob secret\r\n"]),
        ("S", [b"A002 OK LOGIN completed\r\n"]),
        ("C", [b"A003 SELECT INBOX\r\n"]),
        ("S", [b"* 1 EXISTS\r\n* 0 RECENT\r\nA003 OK [READ-WRITE] SEL", b"ECT completed\r\n"]),
        ("C", [b"A004 UID FETCH 1 BODY[]\r\n"]),
        ("S", [b"* 1 FETCH (UID 1 BODY[] {%d}\r\n" % len(MAIL_ALL) + MAIL[0], MAIL[1],
               MAIL[2] + b")\r\nA004 OK FETCH completed\r\n"]),
        ("C", [b"A005 LOGOUT\r\n"]),
        ("S", [b"* BYE logging out\r\n", b"A005 OK LOGOUT completed\r\n"]),
    ],
}


def read_exactly(s, n):
    got = b""
    while len(got) < n:
        chunk = s.recv(n - len(got))
        if not chunk:
            raise SystemExit("linepieces.py: the peer closed early")
        got += chunk
    return got


def talk(s, me, turns):
    s.settimeout(TIMEOUT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for side, pieces in turns:
        if side == me:
            for piece in pieces:
                s.sendall(piece)
                time.sleep(PAUSE)
        else:
            read_exactly(s, sum(len(p) for p in pieces))
    time.sleep(PAUSE)
    s.close()


def drop_frames(src, dst, frames):
    """Copies a little-endian microsecond pcap without the given frames (numbered from 1)."""
    data = open(src, "rb").read()
    out = bytearray(data[:24])
    off, number = 24, 0
    while off + 16 <= len(data):
        caplen = struct.unpack("<I", data[off + 8:off + 12])[0]
        number += 1
        if number not in frames:
            out += data[off:off + 16 + caplen]
        off += 16 + caplen
    open(dst, "wb").write(out)


def main():
    if sys.argv[1] == "drop":
        drop_frames(sys.argv[2], sys.argv[3], {int(f) for f in sys.argv[4:]})
        return
    role, proto, addr, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    turns = CONVERSATIONS[proto]
    if role == "server":
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((addr, port))
        ls.listen(1)
        ls.settimeout(15)
        conn, _ = ls.accept()
        talk(conn, "S", turns)
        ls.close()
    else:
        s = socket.create_connection((addr, port), timeout=TIMEOUT)
        talk(s, "C", turns)


if __name__ == "__main__":
    main()
