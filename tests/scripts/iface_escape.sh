#!/usr/bin/env bash
# Issue 13, attack 7: strings from the system reach the terminal escaped. In a network namespace
# of its own (unshare -n: it and the interface in it vanish when the command ends, so nothing
# outside is touched), the test creates a veth pair, one end named with an OSC title sequence and
# an 8-bit CSI, and checks that pktscope -D prints it as dots, with no control byte (C0 other
# than newline, DEL, or any byte from 0x80) on standard output. Needs root (CAP_NET_ADMIN).
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
command -v unshare >/dev/null || skip "unshare not installed"
command -v ip >/dev/null || skip "ip (iproute2) not installed"
command -v python3 >/dev/null || skip "python3 not installed"
[ "$(id -u)" -eq 0 ] || skip "needs root to create a network namespace and an interface"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# ESC ] 0 ; X BEL (set the window title) then 0x9b (CSI in 8 bits) then "x".
NAME=$(printf '\033]0;X\007\233x')
if ! unshare -n sh -c 'ip link add "$1" type veth peer name pktscope-peer && ip link set "$1" up && "$2" -D' sh "$NAME" "$PKTSCOPE" \
        >"$W/out" 2>"$W/err"; then
    if grep -qiE 'operation not permitted|cannot|unknown' "$W/err" && ! grep -q pktscope "$W/err"; then
        skip "cannot create the namespace or the veth pair: $(head -c 300 "$W/err")"
    fi
    echo "FAIL: pktscope -D failed: $(head -c 600 "$W/err")"
    exit 1
fi
python3 - "$W/out" <<'PY' || exit 1
import re, sys
data = open(sys.argv[1], "rb").read()
bad = re.search(rb"[\x00-\x09\x0b-\x1f\x7f-\xff]", data)
if bad:
    print("FAIL: raw control or 8-bit byte 0x%02x on stdout at %d: %r" % (bad.group()[0], bad.start(), data[max(0, bad.start() - 20):bad.start() + 20]))
    sys.exit(1)
if not re.search(rb"^\d+\. \.\]0;X\.\.x \[", data, re.M):
    print("FAIL: the interface is not listed escaped: %r" % data)
    sys.exit(1)
PY
echo "iface_escape: ok"
