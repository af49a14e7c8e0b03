#!/usr/bin/env bash
# The TUI keeps a file's connection summaries past max_conns (16,384 a protocol) on disk
# (ui/conns_store.c), and the connections view shows them as the tracker had them. Here 30,000
# UDP flows (1 to 3 packets, 1 to 97 bytes, four services) with a TCP SYN after every tenth,
# read with --max-flows 200 so that flows end early and their summaries go to disk (about
# 16,000 of them); then the first 20 flows come back, so that their summaries are recalled from
# disk and go on (one row each, its packets counted in it, where --conns, as Zeek, writes the
# returning 5-tuple a second row). The view's first rows (on disk) must equal --conns=json's,
# column by column, sorted by ID, PKTS and BYTES; Enter on a stored connection filters to its
# packets.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 not installed"
. "$(dirname "$0")/lib/tmux-ui.sh"

python3 - "$WORK/c.pcap" "$SRCDIR/tests/pcaps" <<'PY' || fail "cannot make the capture"
import struct, sys
sys.path.insert(0, sys.argv[2])
import craft  # the packet builders of the crafted captures
out = open(sys.argv[1], 'wb')
out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
t = [1700000000 * 1000000]
def pkt(frame, step):
    t[0] += step
    out.write(struct.pack('<IIII', t[0] // 1000000, t[0] % 1000000, len(frame), len(frame)) + frame)
def udp(i, j, step):
    cli = bytes([10, 2, (i >> 8) & 0xff, i & 0xff])
    srv = bytes([192, 0, 2, 1 + i % 4])
    cport, sport = 1024 + i % 50000, (53, 123, 161, 5353)[i % 4]
    payload = bytes((i * 13 + j) % 97 + 1)
    src, dst, a, b = (cli, srv, cport, sport) if j % 2 == 0 else (srv, cli, sport, cport)
    pkt(craft.eth(craft.ipv4(17, craft.udp(a, b, payload, src, dst), src, dst)), step)
for i in range(30000):
    for j in range(1 + (i * 7) % 3):
        udp(i, j, 10 + (i % 5) * 7)
    if i % 10 == 0:
        cli, srv = bytes([10, 3, (i >> 8) & 0xff, i & 0xff]), bytes([192, 0, 2, 9])
        syn = craft.tcp(2000 + i % 50000, 443, i * 7919, 0, 0x02, src=cli, dst=srv)
        pkt(craft.eth(craft.ipv4(6, syn, cli, srv)), 3)
for i in range(20):
    udp(i, 0, 100)
PY
"$PKTSCOPE" -r "$WORK/c.pcap" --max-flows 200 --conns=json >"$WORK/conns.json" || fail "--conns=json failed"

# The rows --conns gives, as the view shows them, by protocol and stream (a returning 5-tuple's
# two rows summed: the view has one, recalled); and the views' rows in a given order.
python3 - "$WORK/conns.json" >"$WORK/expected.py" <<'PY' || fail "cannot read --conns=json"
import json, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    k = (r['proto'], r['pktscope.stream'])
    pk, by = r['orig_pkts'] + r['resp_pkts'], r['orig_bytes'] + r['resp_bytes']
    if k in rows:
        o = rows[k]
        o['pkts'] += pk
        o['bytes'] += by
        o['back'] = True
        continue
    rows[k] = dict(proto=r['proto'], id=r['pktscope.stream'], client=r['pktscope.client'],
                   server=r['pktscope.server'], service=r['service'] or '-', state=r['conn_state'],
                   pkts=pk, bytes=by, first=r['pktscope.first_frame'], back=False)
print('ROWS = %r' % list(rows.values()))
PY

T -f /dev/null new-session -d -s ui -x 200 -y 40 -c "$WORK" \
    "sh -c 'TMPDIR=\"$WORK\" NO_COLOR=1 TERM=screen exec \"$PKTSCOPE\" -r c.pcap --max-flows 200 2>err'; echo EXIT=\$?; sleep 60"
nrows=$(python3 -c "exec(open('$WORK/expected.py').read()); print(len(ROWS))")
wait_for '^pktscope c\.pcap \| [0-9]+ packets *$' 600

# check ORDER: the 38 rows on screen are the first of --conns's rows in that order (ID: first
# packet; PKTS, BYTES: biggest first, then first packet), every column the same.
check() {
    screen >"$WORK/screen"
    python3 - "$WORK/expected.py" "$WORK/screen" "$1" <<'PY' || fail "the view's rows differ from --conns (sorted by $1)"
import sys
exec(open(sys.argv[1]).read())
order = sys.argv[3]
key = {'ID': lambda r: r['first'], 'PKTS': lambda r: (-r['pkts'], r['first']),
       'BYTES': lambda r: (-r['bytes'], r['first'])}[order]
want = sorted(ROWS, key=key)
lines = open(sys.argv[2]).read().splitlines()
head = next(i for i, l in enumerate(lines) if ' PROTO ' in l and ' CLIENT ' in l)
got = [l.split() for l in lines[head + 1:] if l.split() and l.split()[0].isdigit()]
if len(got) < 30:
    sys.exit('only %d rows on screen' % len(got))
for g, w in zip(got, want):
    exp = [str(w['id']), w['proto'], w['client'], w['server'], w['service'], w['state'],
           str(w['pkts']), str(w['bytes'])]
    shown = [g[0], g[1], g[2], g[3], g[4], g[6], g[8], g[9]]
    if shown != exp:
        sys.exit('row %s: shown %s, --conns %s' % (g[0], shown, exp))
print('%s: %d rows as --conns' % (order, len(got)))
PY
}
keys c
expect "Connections: $nrows, sorted by ID"
keys g
check ID
# A recalled connection (udp stream 0 came back): one row, both visits' packets.
python3 -c "exec(open('$WORK/expected.py').read()); r = [x for x in ROWS if x['back']]; assert len(r) == 20, len(r)" ||
    fail "--conns does not give the returning flows a second row"
# (One column a key press: a press while the view sorts is not lost, but the screen is read
# between.)
for col in PROTO CLIENT SERVER SERVICE ROLE STATE ENDPOINTS PKTS; do
    keys '>'
    expect "sorted by $col "
done
keys g
check PKTS
keys '>'
expect "sorted by BYTES "
keys g
check BYTES
# Back to ID order; Enter on row 6 (udp stream 5, long on disk) shows its packets.
for col in PKTS ENDPOINTS STATE ROLE SERVICE SERVER CLIENT PROTO ID; do
    keys '<'
    expect "sorted by $col "
done
keys g
for _ in 1 2 3 4 5 6; do keys j; done
want=$(python3 -c "exec(open('$WORK/expected.py').read()); r = sorted(ROWS, key=lambda r: r['first'])[6]; print(r['proto'], r['id'], r['pkts'])")
set -- $want
keys Enter
expect "$3 shown \| filter: $1\.stream == $2"
keys Q
wait_for 'EXIT=0'
grep -Eq 'Sanitizer|runtime error' "$WORK/err" && fail "sanitizer report: $(head -c 600 "$WORK/err")"
echo "ui_conns_store: ok"
