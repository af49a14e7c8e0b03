#!/usr/bin/env python3
"""The colouring rules' oracle: for every packet of each capture, the Wireshark colouring rule
pktscope --print --color=always gives its row (format/colorrules.c) against the one tshark 4.0
gives with --color on a terminal (script(1) lends it one; tshark writes 24-bit SGR colours).

Rules that share a colour are one group (Bad TCP / Checksum Errors; TCP RST / SCTP ABORT); TCP
rows (pktscope keeps their usual colours) and rows no rule matches are one group, "plain".
Usage: colors.py PKTSCOPE FILE... ; prints each disagreement and "agree N/M"; exit 1 on any.
"""
import os
import re
import subprocess
import sys

# tshark's background (and, on the dark ones, foreground) -> group: Wireshark 4.0's colorfilters
TS_BG = {(250, 240, 215): "ARP", (252, 224, 255): "ICMP", (228, 255, 199): "HTTP",
         (160, 160, 160): "SYNFIN", (218, 238, 255): "UDP", (255, 255, 255): "BCAST"}
TS_DARK_FG = {247: "BAD", 183: "ICMPERR", 255: "STATE"}
# pktscope's SGR at the start of a line (main/batch.c ansi_attr) -> group
PS_SGR = {"30;47": "SYNFIN", "1;33;41": "RST", "33": "ARP", "35": "ICMP", "1;32;40": "ICMPERR",
          "1;31;40": "BAD", "37;41": "TTL", "32": "HTTP", "36": "UDP", "2": "BCAST"}


def tshark_groups(path):
    env = {"TERM": "xterm-256color", "COLORTERM": "truecolor", "PATH": os.environ.get("PATH", ""),
           "TZ": "UTC", "LC_ALL": "C"}
    cmd = "tshark -n -r '%s' --color" % path.replace("'", "'\\''")
    out = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, env=env,
                         timeout=120).stdout.decode("utf8", "replace")
    res = {}
    for line in out.split("\n"):
        m = re.search(r"\x1b\[38;2;(\d+);(\d+);(\d+)m\x1b\[48;2;(\d+);(\d+);(\d+)m\s*(\d+)\s", line)
        if not m:
            m2 = re.match(r"(?:\x1b\[0m)?\s*(\d+)\s+\d", line)
            if m2:
                res[int(m2.group(1))] = "plain"
            continue
        fg = tuple(map(int, m.group(1, 2, 3)))
        bg = tuple(map(int, m.group(4, 5, 6)))
        if bg[0] < 30:
            g = TS_DARK_FG.get(fg[0], "?fg%s" % (fg,))
        elif bg == (164, 0, 0):
            g = "RST" if fg[0] == 255 else "TTL"
        elif bg in TS_BG:
            g = TS_BG[bg]
        elif bg[2] == 255 and bg[0] > 225:
            g = "plain"  # TCP's lavender
        else:
            g = "?bg%s" % (bg,)
        res[int(m.group(7))] = g
    return res


def pktscope_groups(pktscope, path):
    out = subprocess.run([pktscope, "-r", path, "--print", "--color=always"], capture_output=True,
                         timeout=120).stdout.decode("utf8", "replace")
    res = {}
    for line in out.split("\n"):
        m = re.match(r"\x1b\[([0-9;]+)m\s*(\d+)\s", line)
        if not m:
            continue
        g = PS_SGR.get(m.group(1), "plain")
        # a plain row starts with its frame number dim, then a reset
        if m.group(1) == "2" and re.match(r"\x1b\[2m\s*\d+\s+\S+\s*\x1b\[0m", line):
            g = "plain"
        res[int(m.group(2))] = g
    return res


def main():
    pktscope = sys.argv[1]
    total = agree = 0
    for path in sys.argv[2:]:
        a, b = tshark_groups(path), pktscope_groups(pktscope, path)
        for n in sorted(set(a) | set(b)):
            total += 1
            if a.get(n) == b.get(n):
                agree += 1
            else:
                print("%s frame %d: tshark %s, pktscope %s" % (path, n, a.get(n), b.get(n)))
    print("agree %d/%d" % (agree, total))
    return 0 if agree == total and total > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
