#!/usr/bin/env python3
"""Tiny scripted servers for the line-based protocol captures (make-textproto.sh).

Each one answers a real client (curl, telnet) the way a real server does, for one or a few
connections, then exits. They are not general servers: just enough of RFC 959 (FTP), RFC 5321
(SMTP), RFC 1939 (POP3), RFC 9051 (IMAP) and RFC 854 (Telnet) for the conversations the
captures show. Every wait is bounded (socket timeouts, a connection count).

Usage: textservers.py ftp|smtp|pop3|imap|telnet ADDR PORT [CONNECTIONS]
"""
import socket
import sys

TIMEOUT = 5


def listen(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(4)
    s.settimeout(15)
    return s


class Conn:
    def __init__(self, sock):
        self.s = sock
        self.s.settimeout(TIMEOUT)
        self.buf = b""

    def send(self, data):
        self.s.sendall(data if isinstance(data, bytes) else data.encode())

    def line(self):
        for _ in range(1000):
            i = self.buf.find(b"\n")
            if i >= 0:
                ln, self.buf = self.buf[:i + 1], self.buf[i + 1:]
                return ln.rstrip(b"\r\n").decode(errors="replace")
            try:
                more = self.s.recv(4096)
            except socket.timeout:
                return None
            if not more:
                return None
            self.buf += more
        return None

    def close(self):
        self.s.close()


FILE = b"Hello from the pktscope FTP server.\r\nSecond line.\r\n"


def ftp(c, addr):
    c.send("220-pktscope test FTP server\r\n220 ready.\r\n")
    data_listener = None
    active = None
    for _ in range(100):
        ln = c.line()
        if ln is None:
            break
        cmd, _, arg = ln.partition(" ")
        cmd = cmd.upper()
        if cmd == "USER":
            c.send("331 Please specify the password.\r\n")
        elif cmd == "PASS":
            c.send("230-Welcome to the pktscope test server.\r\n230-Files are small.\r\n"
                   "230 Login successful.\r\n")
        elif cmd == "PWD":
            c.send('257 "/" is the current directory\r\n')
        elif cmd == "CWD":
            c.send("250 Directory successfully changed.\r\n")
        elif cmd == "TYPE":
            c.send("200 Switching to Binary mode.\r\n")
        elif cmd == "EPSV":
            data_listener = listen(addr, 0)
            c.send("229 Entering Extended Passive Mode (|||%d|)\r\n"
                   % data_listener.getsockname()[1])
        elif cmd == "PASV":
            data_listener = listen(addr, 0)
            p = data_listener.getsockname()[1]
            c.send("227 Entering Passive Mode (%s,%d,%d).\r\n"
                   % (addr.replace(".", ","), p >> 8, p & 255))
        elif cmd == "EPRT":
            f = arg.split(arg[0])
            active = (f[2], int(f[3]))
            c.send("200 EPRT command successful. Consider using EPSV.\r\n")
        elif cmd == "PORT":
            f = arg.split(",")
            active = (".".join(f[:4]), int(f[4]) * 256 + int(f[5]))
            c.send("200 PORT command successful. Consider using PASV.\r\n")
        elif cmd == "SIZE":
            c.send("213 %d\r\n" % len(FILE))
        elif cmd == "RETR":
            c.send("150 Opening BINARY mode data connection for %s (%d bytes).\r\n"
                   % (arg, len(FILE)))
            if active:
                d = socket.create_connection(active, timeout=TIMEOUT)
            else:
                d, _ = data_listener.accept()
            d.sendall(FILE)
            d.close()
            if data_listener:
                data_listener.close()
            data_listener = active = None
            c.send("226 Transfer complete.\r\n")
        elif cmd == "QUIT":
            c.send("221 Goodbye.\r\n")
            break
        else:
            c.send("502 Command not implemented.\r\n")


def smtp(c, addr):
    c.send("220 mail.example.org ESMTP pktscope\r\n")
    for _ in range(100):
        ln = c.line()
        if ln is None:
            break
        cmd = ln.split(" ")[0].upper()
        if cmd in ("EHLO", "HELO"):
            c.send("250-mail.example.org Hello\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n"
                   "250 HELP\r\n")
        elif cmd in ("MAIL", "RCPT", "RSET"):
            c.send("250 2.1.0 Ok\r\n")
        elif cmd == "DATA":
            c.send("354 End data with <CR><LF>.<CR><LF>\r\n")
            for _ in range(1000):
                body = c.line()
                if body is None or body == ".":
                    break
            c.send("250 2.0.0 Ok: queued as 4F2A1\r\n")
        elif cmd == "QUIT":
            c.send("221 2.0.0 Bye\r\n")
            break
        else:
            c.send("502 5.5.2 Error: command not recognized\r\n")


MAIL = (b"From: alice@example.org\r\nTo: bob@example.org\r\nSubject: test\r\n\r\n"
        b"Hello Bob.\r\n")


def pop3(c, addr):
    c.send("+OK POP3 server ready\r\n")
    for _ in range(100):
        ln = c.line()
        if ln is None:
            break
        cmd = ln.split(" ")[0].upper()
        if cmd == "CAPA":
            c.send("+OK Capability list follows\r\nUSER\r\nUIDL\r\nTOP\r\n.\r\n")
        elif cmd == "USER":
            c.send("+OK\r\n")
        elif cmd == "PASS":
            c.send("+OK Logged in.\r\n")
        elif cmd == "LIST":
            c.send("+OK 1 messages:\r\n1 %d\r\n.\r\n" % len(MAIL))
        elif cmd == "RETR":
            c.send(b"+OK %d octets\r\n" % len(MAIL) + MAIL + b".\r\n")
        elif cmd == "QUIT":
            c.send("+OK Logging out.\r\n")
            break
        else:
            c.send("-ERR Unknown command.\r\n")


def imap(c, addr):
    c.send("* OK [CAPABILITY IMAP4rev1] pktscope ready.\r\n")
    for _ in range(100):
        ln = c.line()
        if ln is None:
            break
        tag, _, rest = ln.partition(" ")
        cmd = rest.split(" ")[0].upper()
        if cmd == "CAPABILITY":
            c.send("* CAPABILITY IMAP4rev1\r\n%s OK Capability completed.\r\n" % tag)
        elif cmd == "LOGIN":
            c.send("%s OK Logged in\r\n" % tag)
        elif cmd in ("SELECT", "EXAMINE"):
            c.send("* FLAGS (\\Answered \\Seen)\r\n* 1 EXISTS\r\n* 0 RECENT\r\n"
                   "* OK [UIDVALIDITY 1700000000] UIDs valid\r\n"
                   "%s OK [READ-WRITE] Select completed.\r\n" % tag)
        elif cmd in ("FETCH", "UID"):
            c.send(b"* 1 FETCH (UID 1 BODY[] {%d}\r\n" % len(MAIL) + MAIL + b")\r\n"
                   + tag.encode() + b" OK Fetch completed.\r\n")
        elif cmd == "LOGOUT":
            c.send("* BYE Logging out\r\n%s OK Logout completed.\r\n" % tag)
            break
        else:
            c.send("%s BAD Error in IMAP command\r\n" % tag)


IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
ECHO, SGA, TTYPE = 1, 3, 24


def telnet(c, addr):
    c.send(bytes([IAC, DO, TTYPE, IAC, WILL, ECHO, IAC, WILL, SGA]))
    got = b""
    c.s.settimeout(1.0)
    for _ in range(20):
        try:
            more = c.s.recv(4096)
        except socket.timeout:
            break
        if not more:
            return
        got += more
        if bytes([IAC, WILL, TTYPE]) in got:
            c.send(bytes([IAC, SB, TTYPE, 1, IAC, SE]))
        if bytes([IAC, SB, TTYPE, 0]) in got:
            break
    c.s.settimeout(TIMEOUT)
    c.send(b"\r\nDebian GNU/Linux 12\r\nlogin: ")
    c.buf = b""
    user = "".join(ch for ch in (c.line() or "") if ch.isalnum())
    c.send(b"\r\nWelcome, %s.\r\n" % user.encode())


def main():
    mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    fn = {"ftp": ftp, "smtp": smtp, "pop3": pop3, "imap": imap, "telnet": telnet}[mode]
    ls = listen(addr, port)
    for _ in range(count):
        try:
            s, _ = ls.accept()
        except socket.timeout:
            break
        c = Conn(s)
        try:
            fn(c, addr)
        except (OSError, ValueError, IndexError):
            pass
        c.close()


if __name__ == "__main__":
    main()
