#!/usr/bin/env bash
# TUI without an input: the interface picker lists the interfaces; choosing the loopback starts
# a live capture (privileges dropped, packets spooled) and UDP datagrams this test sends to
# 127.0.0.1 appear while the UI runs. Without the right to capture, the picker explains why.
# Traffic stays on the loopback interface.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"
chmod 1777 "$WORK" # the capture runs as nobody once privileges are dropped
selected_row() {
    local e=$'\e'
    T capture-pane -p -e -t ui | grep -a -E "^($e\\[[0-9;]*m)*$e\\[[0-9;]*7m" | sed -n 2p |
        sed "s/$e\\[[0-9;]*m//g" | awk '{print $1}'
}

T -f /dev/null new-session -d -s ui -x 100 -y 30 -c "$WORK" \
    "TMPDIR='$WORK' NO_COLOR=1 TERM=screen '$PKTSCOPE' --tui -s 128 -w '$WORK/picked.pcap' \
     'udp dst port 9'; echo EXIT=\$?; sleep 60"
wait_for 'Capture on which interface\?'
wait_for '^lo +up'
# Move the cursor to the loopback interface (the list starts on screen line 3).
n=$(screen | grep -n '^lo  ' | head -1 | cut -d: -f1)
T send-keys -t ui -N $((n - 3)) j 2>/dev/null
for ((k = 0; k < 50; k++)); do
    [ "$(selected_row)" = lo ] && break
    sleep 0.1
done
[ "$(selected_row)" = lo ] || fail "cannot select the loopback interface"
keys Enter
sleep 0.5
if screen | grep -Eq 'permission|Operation not permitted|cap_net_raw'; then
    echo "no permission to capture: the picker says so"
    keys q
    wait_for '^EXIT='
    echo PASS
    exit 0
fi
wait_for 'pktscope lo \(live\)'
python3 - <<'PY'
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3):
    s.sendto(b'pktscope picker test %d' % i, ('127.0.0.1', 9))
    time.sleep(0.05)
PY
wait_for '127\.0\.0\.1 +127\.0\.0\.1 +UDP .*-> 9|127\.0\.0\.1 +127\.0\.0\.1 +UDP'
wait_for 'following'
keys q
wait_for '^EXIT=0'
# -w, -s and the filter given on the command line applied to the capture the picker started;
# the file was made after privileges were dropped.
F=$WORK/picked.pcap
[ -s "$F" ] || fail "-w file not written"
[ "$(stat -c %U "$F")" = nobody ] || fail "-w file belongs to $(stat -c %U "$F"), not nobody"
snap=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(struct.unpack("<I", d[16:20])[0])' "$F")
[ "$snap" = 128 ] || fail "-w file snaplen $snap, wanted 128"
n=$("$PKTSCOPE" --json -r "$F" | grep -c '"udp.dstport":9,')
[ "$n" -eq 3 ] || fail "-w file holds $n datagrams to port 9, wanted 3"
"$PKTSCOPE" --json -r "$F" | grep -vq '"udp.dstport":9,' && fail "-w file holds packets the filter excludes"
echo PASS
