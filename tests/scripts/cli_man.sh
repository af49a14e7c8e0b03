#!/usr/bin/env bash
# The options the program takes are the options the man page documents: `pktscope
# --list-options` prints every short and long name of the option table that getopt and --help
# are made from (main/main.c cli_options); each must appear in doc/pktscope.1, and every option
# the man page's OPTIONS section introduces (a .TP item's first line) must be one pktscope takes.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
python3 - "$SRCDIR/doc/pktscope.1" <("$PKTSCOPE" --list-options) <<'PY'
import re, sys
man = open(sys.argv[1], encoding='utf-8').read().split('\n')
names = [l for l in open(sys.argv[2]).read().split('\n') if l]
if len(names) < 20:
    print('FAIL: --list-options printed %d names' % len(names)); sys.exit(1)
text = '\n'.join(man).replace('\\-', '-').replace('\\fB', '').replace('\\fR', '')
fails = 0
for n in names:
    if n == '--list-options':
        continue  # the test's own hook, on purpose not documented
    # a word of its own: -x not inside -xx, --print not inside --print-foo
    if not re.search(r'(?<![\w-])' + re.escape(n) + r'(?![\w-])', text):
        print('FAIL: %s is an option but the man page does not mention it' % n); fails += 1
known = set(names)
section = None
for i, line in enumerate(man):
    if line.startswith('.SH '):
        section = line[4:].strip(); continue
    if section != 'OPTIONS' or line != '.TP' or i + 1 >= len(man):
        continue
    item = man[i + 1].replace('\\-', '-')
    m = re.match(r'^\.(?:B|BR|BI|IR|I)\s+"?(-{1,2}[A-Za-z][\w-]*)', item)
    if m and m.group(1) not in known:
        print('FAIL: the man page documents %s, which pktscope does not take' % m.group(1))
        fails += 1
if fails:
    sys.exit(1)
print('PASS: %d option names, each in the man page, and nothing more there' % len(names))
PY
