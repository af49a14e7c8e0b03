#!/usr/bin/env bash
# TUI robustness: on captures of different kinds (Linux cooked, VLAN, IPv6 neighbour discovery,
# DNS over UDP only, ICMP only, a truncated header, no connection at all) walk through every
# view with the keys a user would press and check the program ends normally (status 0 or 1 for
# a damaged file, never a crash or a sanitizer report) with the terminal restored.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"

captures=()
for f in sll.pcap vlan.pcap ipv6-nd.pcap dns.pcap ping.pcap rst-abort.pcap; do
    [ -r "$SRCDIR/tests/pcaps/$f" ] && captures+=("$SRCDIR/tests/pcaps/$f")
done
for f in zeek_trunc-hdr.pcap tcpdump_tcp_header_heapoverflow.pcap sv_decode-arp-2.pcap; do
    [ -r "${SHARED_PCAPS:-/nonexistent}/$f" ] && captures+=("$SHARED_PCAPS/$f")
done
[ ${#captures[@]} -gt 0 ] || { echo "SKIP: no captures"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

# The walk, in chunks sent at once; each Escape ends a chunk (then a pause), so that it is not
# read together with the next key as an Alt- sequence.
ls=$(printf 'l %.0s' {1..30})
js=$(printf 'j %.0s' {1..12})
chunks=("G Enter e Tab $ls End BTab z z o Tab c > > r Enter L Space $js Escape"
        "F x j j Escape" "s End Escape" "? Escape" "k k k k F Escape" "L Escape"
        "/ a b c Enter n N f t c p Enter f C-u Enter Q")
status=0
for f in "${captures[@]}"; do
    T kill-session -t ui 2>/dev/null
    T -f /dev/null new-session -d -s ui -x 100 -y 30 -c "$WORK" \
        "TERM=screen '$PKTSCOPE' --tui -r '$f' 2>'$WORK/err'; echo EXIT=\$?; sleep 60"
    for ((i = 0; i < 100; i++)); do
        T capture-pane -p -t ui | grep -q 'pktscope .* packets' && break
        sleep 0.1
    done
    for c in "${chunks[@]}"; do
        # shellcheck disable=SC2086 # one word per key
        T send-keys -t ui $c
        sleep 0.3
    done
    r=
    for ((i = 0; i < 100; i++)); do
        r=$(T capture-pane -p -t ui | grep -a '^EXIT=' | head -1)
        [ -n "$r" ] && break
        sleep 0.1
    done
    case "$r" in
    EXIT=0 | EXIT=1) echo "ok: $(basename "$f") ($r)" ;;
    *)
        echo "FAIL: $(basename "$f"): '${r:-no exit}'"
        T capture-pane -p -t ui | tail -15
        head -30 "$WORK/err"
        status=1
        ;;
    esac
    [ "$(T display -p -t ui '#{alternate_on}')" = 0 ] || { echo "FAIL: $f: alternate screen on"; status=1; }
done
[ $status = 0 ] && echo PASS
exit $status
