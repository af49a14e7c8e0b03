#!/usr/bin/env bash
# The TUI's comparison view (V) on the classroom capture at 80x24 (tmux): from the connections
# view's TCP row, TCP stream 0 against the first UDP flow, with the numbers, labels and reading
# of `--compare tcp:0 udp:0` (each cell wrapped in its own column at 80 columns: the test joins
# a cell's lines again); V again takes the next UDP flow, as --compare tcp:0 udp:1 counts it.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
PCAP=$SRCDIR/tests/pcaps/classroom.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

# same SCREEN BATCH: the comparison on screen (rows 3-23) says what the batch text says.
same() {
    python3 - "$1" "$2" <<'PY'
import sys
screen = open(sys.argv[1]).read().split("\n")[2:23]
batch = open(sys.argv[2]).read().rstrip("\n").split("\n")
TCP, UDP = 28, 72            # format/compare.c's wide columns
def cells(line, cols):
    out, bounds = [], list(cols) + [None]
    for a, b in zip(bounds, bounds[1:]):
        out.append(line[a:b].strip())
    return out
want = [cells(l, (0, TCP, UDP)) for l in batch[1:11]]
# On screen: the label in 0-21, TCP from 22, UDP from 51; a row's continuation lines have no
# label. The rows start after the title (one line at 80 columns).
rows = []
i = 1
while i < len(screen) and len(rows) < 10:
    c = cells(screen[i], (0, 22, 51))
    if c[0] or not rows:
        rows.append(c)
    else:
        rows[-1] = [(a + " " + b).strip() for a, b in zip(rows[-1], c)]
    i += 1
bad = [(w, g) for w, g in zip(want, rows) if w != g]
if screen[0].strip() != batch[0] or len(rows) != 10 or bad:
    print("differs:", screen[0], bad[:3])
    sys.exit(1)
# The notes and the reading: the rest of the screen, joined, is the rest of the batch text.
rest = " ".join(l.strip() for l in screen[i:] if l.strip())
if not rest.startswith(" ".join(batch[11:])[:len(rest)]) or len(rest) < 100:
    print("reading differs:", rest[:200])
    sys.exit(1)
PY
}

cd "$WORK" || exit 1
T -f /dev/null new-session -d -s ui -x 80 -y 24 -c "$WORK" \
    "TERM=screen LC_ALL=C.UTF-8 '$PKTSCOPE' -r '$PCAP' --no-config; echo EXIT=\$?; sleep 60"
wait_for '26 packets'
keys c
wait_for 'Connections: 5'
# The rows by ID: three UDP flows and an ICMP exchange come before the TCP connection.
expect '^ +0 tcp +192\.168\.1\.130:49672'
keys j j j j
keys V
wait_for '^ TCP 0 vs UDP 0  \(V: next UDP flow\)'
TZ=UTC LC_ALL=C "$PKTSCOPE" -r "$PCAP" --compare tcp:0 udp:0 >"$WORK/batch0" || fail "--compare failed"
screen >"$WORK/screen0"
same "$WORK/screen0" "$WORK/batch0" || fail "the view is not --compare tcp:0 udp:0"
echo "ok: the comparison view is --compare tcp:0 udp:0"

keys V
wait_for '^ TCP 0 vs UDP 1 '
TZ=UTC LC_ALL=C "$PKTSCOPE" -r "$PCAP" --compare tcp:0 udp:1 >"$WORK/batch1" || fail "--compare failed"
screen >"$WORK/screen1"
same "$WORK/screen1" "$WORK/batch1" || fail "the view is not --compare tcp:0 udp:1"
echo "ok: V again takes the next UDP flow"

keys q
wait_for 'Connections: 5'
keys Q
wait_for 'EXIT=0'
