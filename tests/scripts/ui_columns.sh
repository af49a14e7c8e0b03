#!/usr/bin/env bash
# TUI: the packet list's columns follow the data. No. is as wide as the largest frame number
# (a capture of 1,000,010 packets, made here), Source and Destination as wide as the widest
# address shown, capped so that Info keeps 27 columns (a third of 80); columns give way by
# priority (the length, then the time) before an address is cut, and an address is never shown
# in part: one that does not fit is the ellipsis alone ("~" without UTF-8, "..." as one
# character with it). --print widens as tshark's text does and cuts nothing.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
V6=$SRCDIR/tests/pcaps/http-ipv6.pcap
[ -r "$V6" ] || { echo "SKIP: $V6 missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

# 1,000,000 UDP packets of 60 bytes between two 15-character IPv4 addresses, then 10 between
# two 35-character IPv6 ones (~76 MB, written in about two seconds).
BIG=$WORK/big.pcap
python3 - "$BIG" <<'PY' || fail "cannot write the big capture"
import socket, struct, sys
def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def rec(ts, frame):
    return struct.pack('<IIII', ts, 0, len(frame), len(frame)) + frame
macs = bytes.fromhex('001b210a0002001b210a0001')
udp = struct.pack('!HHHH', 40000, 40001, 18, 0) + b'0123456789'
ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                 socket.inet_aton('192.168.100.200'), socket.inet_aton('192.168.200.100'))
ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
f4 = macs + b'\x08\x00' + ip + udp
f4 += b'\0' * (60 - len(f4))
s6 = socket.inet_pton(socket.AF_INET6, '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1')
d6 = socket.inet_pton(socket.AF_INET6, '2001:db8:aaaa:bbbb:cccc:dddd:eeee:2')
u6 = udp[:6] + struct.pack('!H', csum(s6 + d6 + struct.pack('!IxxxB', len(udp), 17) + udp)) + udp[8:]
f6 = macs + b'\x86\xdd' + struct.pack('!IHBB', 0x60000000, len(u6), 17, 64) + s6 + d6 + u6
with open(sys.argv[1], 'wb') as out:
    out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    out.write(rec(1700000000, f4) * 1000000)
    out.write(rec(1700000001, f6) * 10)
PY
A4='192\.168\.100\.200'
B4='192\.168\.200\.100'
A6='2001:db8:aaaa:bbbb:cccc:dddd:eeee:1'
B6='2001:db8:aaaa:bbbb:cccc:dddd:eeee:2'

# --print writes each line at once: the numbers and addresses widen, nothing is cut.
"$PKTSCOPE" --print -r "$BIG" | tail -n 11 >"$WORK/tail.txt" || fail "--print failed"
grep -Eq "^1000000 +0\.000000 $A4 → $B4 UDP 60 40000 → 40001 Len=10$" "$WORK/tail.txt" ||
    fail "--print cut frame 1000000: $(head -1 "$WORK/tail.txt")"
grep -Eq "^1000010 +1\.000000 $A6 → $B6 UDP 72 " "$WORK/tail.txt" ||
    fail "--print cut frame 1000010: $(tail -1 "$WORK/tail.txt")"

# start W H FILE [ENV]: pktscope in a W x H terminal
start() {
    T kill-session -t ui 2>/dev/null
    T -f /dev/null new-session -d -s ui -x "$1" -y "$2" \
        "NO_COLOR=1 TERM=screen ${4:-} '$PKTSCOPE' -r '$3'; echo EXIT=\$?; sleep 60"
}

# wait_analysed: until the title no longer says the analysis runs (the Phase column goes with
# it). A million packets take a few seconds, a minute and more under the sanitizers on a slow
# machine (seen: 37 % after 30 s): bounded at 600 s.
wait_analysed() {
    for ((i = 0; i < 6000; i++)); do
        screen | head -1 | grep -q 'analysing' || return 0
        sleep 0.1
    done
    fail "the analysis did not finish in 600 s"
}

# 80x24: the whole 7-digit number; the time gives way to the IPv4 addresses, whole; the IPv6
# ones do not fit even then (Info keeps its 27 columns): each is the ellipsis alone.
start 80 24 "$BIG"
wait_for '1000010 packets' 200
keys G
wait_analysed
wait_for '^1000010 ~ +~ +UDP +40000 -> 40001 Len=10$'
expect '^ +No\. Source +Destination +Proto'
expect 'Frame 1000010: 72 bytes'
keys :
type_line 1000000
wait_for 'Frame 1000000: 60 bytes'
expect "^1000000 $A4 +$B4 +UDP "
keys k
wait_for "^ 999999 $A4 "

# 120x40: IPv4 addresses whole; the IPv6 ones still do not fit with the time gone (Info keeps
# its 27 columns): the ellipsis alone; the info scrolls sideways (l) while the columns before it
# stay.
start 120 40 "$BIG"
wait_for '1000010 packets' 200
keys G
wait_analysed
wait_for "^1000010 ~ +~ +UDP +72 +40000 -> 40001 Len=10$"
expect "^1000000 $A4 +$B4 +UDP +60 +40000 -> 40001 Len=10$"
keys l
wait_for "^1000010 ~ +~ +UDP +72 +40001 Len=10$"

# 200x60: everything fits whole.
start 200 60 "$BIG"
wait_for '1000010 packets' 200
keys G
wait_analysed
wait_for "^1000010 1\.000000 $A6 $B6 UDP +72 +40000 -> 40001 Len=10$"
expect "^1000000 0\.000000 $A4 +$B4 +UDP "

# IPv6 at 80x24: the time gives way, so that a link-local source and a solicited-node
# destination fit whole; the info ends in an ellipsis ("~", or "…" under UTF-8).
start 80 24 "$V6"
wait_for '17 packets'
expect '^ +1 fe80::42:aff:fe00:2 ff02::16 +ICMPv6 +Multicast Listener Report~$'
expect '^ +2 2001:db8::1 +ff02::1:ff00:2 ICMPv6 '
expect '^ +4 2001:db8::1 +2001:db8::2 +TCP +hshk '
start 80 24 "$V6" LC_ALL=C.UTF-8
wait_for '17 packets'
expect '^ +1 fe80::42:aff:fe00:2 ff02::16 +ICMPv6 +Multicast Listener Report…$'

# IPv6 at 120x40: every address whole.
start 120 40 "$V6"
wait_for '17 packets'
expect '^ +1 0\.000000 fe80::42:aff:fe00:2 ff02::16 +ICMPv6 +90 +Multicast Listener Report Message v2$'
expect '^ +2 0\.[0-9]+ 2001:db8::1 +ff02::1:ff00:2 ICMPv6 '
reject '[a-f0-9:][~…]  '

keys q
wait_for 'EXIT=0'
echo PASS
