#!/usr/bin/env python3
"""Compares pktscope's -v and -q with tcpdump's on captures. -q: where tcpdump -q says
"A.sport > B.dport: tcp 81" (or "UDP, length 81"), pktscope -q ends "sport → dport Len=81".
-v: the IP header of pktscope's -v line with tcpdump -v's: the
parenthesised "(tos 0x0, ttl 64, id 5503, offset 0, flags [DF], proto TCP (6), length 60)" or
"(hlim 64, next-header TCP (6) payload length: 40)" must be the same text. pktscope leaves out
what tcpdump adds after it: IPv4 options ("options (NOP,RR ...)") and the computed checksum of
a bad one ("bad cksum 6902 (->3c57)!" is "bad cksum 6902!"). tcpdump verifies checksums unless
-K; pktscope, as Wireshark, only with --checksums, which it is given here.
Usage: tcpdump_verbose.py PKTSCOPE CAPTURE...   Exit 0 when every IP packet agrees."""
import re
import subprocess
import sys

TD_TIME = re.compile(r'^\d\d:\d\d:\d\d\.\d{6} ')
PS_LINE = re.compile(r'^ *\d+ +-?\d+\.\d{6} ')


def paren(s, at):
    """The balanced (...) of s that starts at s[at]."""
    depth = 0
    for j in range(at, len(s)):
        if s[j] == '(':
            depth += 1
        elif s[j] == ')':
            depth -= 1
            if depth == 0:
                return s[at:j + 1]
    return None


def main():
    ps = sys.argv[1]
    checked = fails = 0
    for cap in sys.argv[2:]:
        t = subprocess.run(['tcpdump', '-vnr', cap], capture_output=True).stdout.decode('latin-1')
        heads = [l for l in t.split('\n') if TD_TIME.match(l)]
        p = subprocess.run([ps, '-r', cap, '--print', '-v', '--checksums'],
                           capture_output=True).stdout.decode('latin-1')
        lines = []
        for l in p.split('\n'):
            if PS_LINE.match(l):
                lines.append(None)
            elif l.startswith('      IPv') and lines:
                lines[-1] = l
        if len(heads) != len(lines):
            print(f'FAIL {cap}: tcpdump {len(heads)} packets, pktscope {len(lines)}')
            fails += 1
            continue
        for i, (a, b) in enumerate(zip(heads, lines)):
            m = re.search(r' IP6? \(', a)
            if not m:
                if b:
                    print(f'FAIL {cap} packet {i + 1}: tcpdump has no IP header line, pktscope {b!r}')
                    fails += 1
                continue
            checked += 1
            want = paren(a, m.end() - 1)
            want = re.sub(r', options \(.*\)\)$', ')', want)
            want = re.sub(r' \(->[0-9a-f]+\)!', '!', want)
            got = paren(b, b.index('(')) if b and '(' in b else None
            if want != got:
                print(f'FAIL {cap} packet {i + 1}:\n tcpdump  {want}\n pktscope {b}')
                fails += 1
    print(f'tcpdump -v: {checked} IP headers compared, {fails} differ')
    qf = quiet(ps, sys.argv[2:])
    return 1 if fails or qf else 0


TD_Q = re.compile(r'\.(\d+) > [^ ]+\.(\d+): (?:tcp|UDP, length) (\d+)$')
PS_Q = re.compile(r' (\d+) \u2192 (\d+) Len=(\d+)$')


def quiet(ps, caps):
    checked = fails = 0
    for cap in caps:
        t = subprocess.run(['tcpdump', '-qnr', cap], capture_output=True).stdout.decode('latin-1')
        heads = [l for l in t.split('\n') if TD_TIME.match(l)]
        p = subprocess.run([ps, '-r', cap, '--print', '-q'], capture_output=True).stdout.decode()
        lines = [l for l in p.split('\n') if PS_LINE.match(l)]
        if len(heads) != len(lines):
            continue  # counted by main()
        for i, (a, b) in enumerate(zip(heads, lines)):
            m = TD_Q.search(a)
            # tcpdump reads the UDP header in a first fragment; pktscope, as tshark, shows the
            # datagram once reassembled, in its last fragment.
            if not m or 'Fragmented IP protocol' in b:
                continue
            checked += 1
            mb = PS_Q.search(b)
            if not mb or mb.groups() != m.groups():
                print(f'FAIL -q {cap} packet {i + 1}:\n tcpdump  {a}\n pktscope {b}')
                fails += 1
    print(f'tcpdump -q: {checked} TCP/UDP lines compared, {fails} differ')
    return fails


if __name__ == '__main__':
    sys.exit(main())
