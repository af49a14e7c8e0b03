#!/usr/bin/env bash
# The TUI's hosts view (H) on the classroom capture at 80x24 (tmux): the subnet from DHCP, the
# student's laptop, the router named gateway with its evidence, the remote server reached
# through it, the ARP table; the same report as --hosts; q closes it.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/classroom.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

cd "$WORK" || exit 1
T -f /dev/null new-session -d -s ui -x 80 -y 24 -c "$WORK" \
    "TERM=screen '$PKTSCOPE' -r '$PCAP'; echo EXIT=\$?; sleep 60"
wait_for '26 packets'

keys H
wait_for 'Hosts \(26 packets\)'
expect '^Subnets'
expect '^  192\.168\.1\.0/24  \(dhcp\)'
expect '^  00:1b:21:0a:00:01  Intel Corporate  local'
expect '^    client of 198\.51\.100\.10: 80/tcp \(http\), 1 connection from frame 15'
expect '^  00:1e:7a:0a:00:01  Cisco Systems, Inc  local'
expect '^    gateway \(router\), because it:'
# The end of the report: the remote server and the ARP table.
keys G
expect '^  198\.51\.100\.10  remote, reached through 00:1e:7a:0a:00:01$'
expect '^  192\.168\.1\.1 +00:1e:7a:0a:00:01 +12  13:07:12\.329  13:07:12\.329 +1$'
# The screen shows the lines --hosts prints (a line cut at 80 columns ends in an ellipsis).
TZ=UTC LC_ALL=C "$PKTSCOPE" -r "$PCAP" --hosts >"$WORK/batch"
screen | sed -n '3,23p' | sed 's/ *$//' | while IFS= read -r line; do
    [ -z "$line" ] && continue
    # cut at the edge: an ellipsis, or ">" without UTF-8
    case $line in
        *…) grep -qF -- "${line%…}" "$WORK/batch" || echo "$line"; continue ;;
        *'>') grep -qF -- "${line%>}" "$WORK/batch" || echo "$line"; continue ;;
    esac
    grep -qxF -- "$line" <(sed 's/ *$//' "$WORK/batch") || echo "$line"
done >"$WORK/extra"
[ -s "$WORK/extra" ] && fail "lines on screen that --hosts does not print: $(head -3 "$WORK/extra")"
keys q
wait_for '26 packets'
reject 'Hosts \('
keys q
wait_for 'EXIT=0'
echo "ok: the hosts view"

# The layer view's subnet test, as -V's: frame 13, the DNS query to the server's LAN, goes to
# the gateway's MAC (ARP in frame 12), the subnet handed out by DHCP in frame 4.
T kill-session -t ui
T -f /dev/null new-session -d -s ui -x 120 -y 50 -c "$WORK" \
    "TERM=screen '$PKTSCOPE' -r '$PCAP'; echo EXIT=\$?; sleep 60"
wait_for '26 packets'
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do keys j; done
wait_for '^\+ Frame 13:'
expect "^\\+ Subnet test \\(pktscope\\): is the destination on the sender's subnet 192\\.168\\.1\\.0/24 \\(handed out by DHCP in frame 4\\)"
keys q
wait_for 'EXIT=0'
echo "ok: the subnet test in the layer view"
