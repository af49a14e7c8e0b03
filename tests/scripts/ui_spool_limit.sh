#!/usr/bin/env bash
# Issue 13, the long run's cap: the TUI's spool (the temporary file holding a live capture or a
# pipe) stays under --spool-limit, the oldest packets dropped first, counted in the title, and a
# dropped packet, when asked for, is said to be dropped rather than shown as zeros or an error of
# the file. 30,000 packets of 1,400 bytes (42 MB, made here) on standard input, --spool-limit 8M.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 not installed"
. "$(dirname "$0")/lib/tmux-ui.sh"


python3 - "$WORK/big.pcap" <<'PY'
import struct, sys
# Ethernet + IPv4 + UDP 10.0.0.1:5000 -> 10.0.0.2:6000, 1,358 bytes of payload.
payload = bytes(1358)
udp = struct.pack(">HHHH", 5000, 6000, 8 + len(payload), 0) + payload
ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                 bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + udp
frame = bytes.fromhex("020000000002020000000001") + b"\x08\x00" + ip
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(30000):
        f.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(frame), len(frame)))
        f.write(frame)
PY

# -w names the user's own file, which a limit never cuts: refused at the start (exit 2), as is a
# limit too small to hold a chunk of records.
T -f /dev/null new-session -d -s ui -x 120 -y 30 -c "$WORK" \
    "sh -c 'NO_COLOR=1 TERM=screen \"$PKTSCOPE\" -r - -w kept.pcapng --spool-limit 8M <\"$WORK/big.pcap\"; echo FIRST_EXIT=\$?; NO_COLOR=1 TERM=screen \"$PKTSCOPE\" -r - --spool-limit 3M <\"$WORK/big.pcap\"; echo SECOND_EXIT=\$?; sleep 60'"
# The second run's message can be on the screen before its shell has echoed the status: wait for
# the status itself.
wait_for '^SECOND_EXIT=' 100
expect 'at least 8M'
expect 'is your capture file, which pktscope never'
screen | grep -q '^FIRST_EXIT=2$' && screen | grep -q '^SECOND_EXIT=2$' ||
    fail "both should exit with status 2"
T kill-session -t ui

T -f /dev/null new-session -d -s ui -x 120 -y 30 -c "$WORK" \
    "sh -c 'echo \$\$ >\"$WORK/pid\"; TMPDIR=\"$WORK\" NO_COLOR=1 TERM=screen exec \"$PKTSCOPE\" -r - --spool-limit 8M <\"$WORK/big.pcap\" 2>\"$WORK/err\"'; echo EXIT=\$?; sleep 60"
wait_for '30000 packets' 600
wait_for 'oldest off disk \(spool limit 8 MiB\)' 100
dropped=$(screen | sed -n 's/.* \([0-9]*\) oldest off disk.*/\1/p' | head -1)
echo "dropped from the spool: $dropped of 30000"
# 42 MB through an 8 MiB spool: at least 24,000 packets dropped, at most all but 8 MiB's worth.
[ "$dropped" -ge 24000 ] && [ "$dropped" -le 25000 ] || fail "$dropped packets dropped"
# The spool's disk use, read from its open (unlinked) file: the largest of pktscope's temporary
# files (the others hold the packets' tracking, 88 bytes a packet, and reassembled dissections,
# none here).
pid=$(cat "$WORK/pid")
# Each file once (the spool holds it open twice: to write and to read back).
disk=$(for fd in /proc/"$pid"/fd/*; do
    case "$(readlink "$fd")" in
    "$WORK"/pktscope-*) stat -L -c '%i %b' "$fd" ;;
    esac
done | sort -u | awk '$2 * 512 > m { m = $2 * 512 } END { print m + 0 }')
echo "spool on disk: $disk bytes"
[ "$disk" -gt 0 ] && [ "$disk" -le $((9 * 1024 * 1024)) ] || fail "spool takes $disk bytes"
# The newest packet reads back; an old one, read now, is said to be dropped. (Packet 1 was read
# when the screen first showed it, before the spool dropped it: packet 2 was not.)
keys G
expect 'Frame 30000: 1400 bytes'
keys g
keys j
expect 'packet 2 was dropped from the spool'
keys Q
wait_for 'EXIT=0'
grep -Eq 'Sanitizer|runtime error' "$WORK/err" && fail "sanitizer report: $(head -c 600 "$WORK/err")"
echo "ui_spool_limit: ok"
