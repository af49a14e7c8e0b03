#!/usr/bin/env python3
"""Compares pktscope's -x -xx -X -XX -A with tcpdump's on captures: the same bytes of every
packet (byte range and hex/ASCII choice), each in its own layout. pktscope's bytes that
reassembly built ("Reassembled (N bytes):") are its own addition and are left out.
Usage: tcpdump_dumps.py PKTSCOPE CAPTURE...   Exit 0 when every capture agrees."""
import re
import subprocess
import sys

TD_TIME = re.compile(r'^\d\d:\d\d:\d\d\.\d{6} ')
PS_LINE = re.compile(r'^ *\d+ +-?\d+\.\d{6} ')


def tcpdump(cap, flag):
    r = subprocess.run(['tcpdump', '-nr', cap, flag], capture_output=True)
    return r.stdout.decode('latin-1')


def pktscope(ps, cap, flag):
    r = subprocess.run([ps, '-r', cap, '--print', flag], capture_output=True)
    return r.stdout.decode('latin-1')


def split(text, head):
    """Packets: the lines after each header line."""
    pkts = []
    for line in text.split('\n'):
        if head.match(line):
            pkts.append([])
        elif pkts:
            pkts[-1].append(line)
    return pkts


def td_hex(lines):
    out = ''
    for l in lines:
        m = re.match(r'^\t0x[0-9a-f]{4}:  (.*)$', l)
        if m:
            out += m.group(1)[:40].replace(' ', '')
    return out


def ps_hex(lines, ascii_col):
    out = ''
    for l in lines:
        if l.startswith('Reassembled ('):
            break
        if re.match(r'^[0-9a-f]{4,} ', l):
            body = l.split(' ', 1)[1]
            if ascii_col:
                body = body[:50]
            out += body.replace(' ', '')
    return out


def td_ascii(lines):
    # tcpdump's last line of a packet is the newline it writes after the payload.
    text = '\n'.join(lines)
    return text.replace('\t', '.')


def ps_ascii(lines):
    keep = []
    for l in lines:
        if l.startswith('Reassembled ('):
            break
        keep.append(l)
    return '\n'.join(keep)


def main():
    ps = sys.argv[1]
    fails = 0
    checked = 0
    # tcpdump's quirk: when its dissector ran off the captured bytes ("[|tcp]"), its dump
    # starts at byte 0 whatever the flag (the link printer never returned its header length);
    # it also stops some at the IP total length. pktscope keeps the flag's range: not compared.
    cut = {}
    for cap in sys.argv[2:]:
        for flag in ['-x', '-xx', '-X', '-XX', '-A']:
            t = split(tcpdump(cap, flag), TD_TIME)
            if cap not in cut:
                cut[cap] = set()
                for how in ('-q', '-S'):
                    heads = [l for l in tcpdump(cap, how).split('\n') if TD_TIME.match(l)]
                    cut[cap] |= {i for i, l in enumerate(heads) if '[|' in l}
            p = split(pktscope(ps, cap, flag), PS_LINE)
            if len(t) != len(p):
                print(f'FAIL {cap} {flag}: tcpdump {len(t)} packets, pktscope {len(p)}')
                fails += 1
                continue
            for i, (a, b) in enumerate(zip(t, p)):
                if i in cut[cap]:
                    continue
                checked += 1
                if flag == '-A':
                    # A blank separator is not written after -A; tcpdump ends with '\n'.
                    ta, pa = td_ascii(a), ps_ascii(b)
                    same = ta == pa or ta == pa + '\n' or (ta == '' and pa == '')
                else:
                    ta, pa = td_hex(a), ps_hex(b, flag in ('-X', '-XX'))
                    same = ta == pa
                if not same:
                    print(f'FAIL {cap} {flag} packet {i + 1}:\n tcpdump  {ta!r}\n pktscope {pa!r}')
                    fails += 1
    skipped = sum(len(v) for v in cut.values()) * 5
    print(f'tcpdump dumps: {checked} packet dumps compared, {fails} differ, {skipped} skipped '
          '(packets tcpdump marks [|proto])')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
