#!/usr/bin/env bash
# The TUI's keys as the man page documents them (doc/pktscope.1, section KEYS) are the keys the
# program binds: `pktscope --list-keys` prints the key table the help view is made from, and
# every group, key name and help text there must be in the man page, in the same order, and
# nothing else. A key added, rebound or reworded without the man page fails here.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
MAN=$SRCDIR/doc/pktscope.1
python3 - "$MAN" <("$PKTSCOPE" --list-keys) <<'PY'
import sys
man, listed = sys.argv[1], sys.argv[2]
def unroff(t):
    t = t.strip()
    if t.startswith('.B '):
        t = t[3:].strip()
        if t.startswith('"') and t.endswith('"'):
            t = t[1:-1]
    return t.replace('\\&', '').replace('\\-', '-').replace('\\e', '\\')
rows, group, inkeys, pending = [], None, False, None
for line in open(man, encoding='utf-8'):
    line = line.rstrip('\n')
    if line.startswith('.SH '):
        inkeys = line.strip() == '.SH KEYS'
        continue
    if not inkeys:
        continue
    if line.startswith('.SS '):
        group = line[4:].strip()
    elif line == '.TP':
        pending = []
    elif pending is not None:
        pending.append(unroff(line))
        if len(pending) == 2:
            rows.append((group, pending[0], pending[1]))
            pending = None
want = [tuple(l.split('\t')) for l in open(listed).read().splitlines() if l]
if not want:
    print('FAIL: --list-keys printed nothing'); sys.exit(1)
bad = 0
for i in range(max(len(rows), len(want))):
    a = rows[i] if i < len(rows) else None
    b = want[i] if i < len(want) else None
    if a != b:
        print('FAIL: man page KEYS row %d is %r, the key table says %r' % (i + 1, a, b))
        bad += 1
if bad:
    sys.exit(1)
print('PASS: %d keys, as bound, in the man page' % len(want))
PY
