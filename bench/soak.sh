#!/usr/bin/env bash
# bench/soak.sh: does a long live capture stay in bounded memory? Not part of ctest.
#
#   sudo bench/soak.sh SECONDS OUTDIR -- PKTSCOPE-ARGS...     (batch modes)
#   sudo SOAK_TUI=1 bench/soak.sh SECONDS OUTDIR -- PKTSCOPE-ARGS...   (the TUI, in tmux)
#   sudo SOAK_NETNS=1 ... (the traffic between two network namespaces of its own, as below)
#
# Runs pktscope -i lo PKTSCOPE-ARGS for SECONDS while loopback carries a steady mix made to churn
# the tracker: UDP from FLOWS sockets that are replaced every 10 s (so new flows keep starting
# and old ones time out), an HTTP GET to python3 -m http.server every 0.2 s (a new TCP connection
# each, with handshake, data and close), and ping every 0.2 s. Every SAMPLE seconds it appends
# "elapsed_s rss_kib hwm_kib" for pktscope to OUTDIR/rss.tsv, from /proc/PID/status.
# DOWNLOAD_KB (default 0): also fetch a file of that size every 0.4 s, an HTTP response of many
# segments that TCP reassembly holds until it is whole; the TUI then keeps those frames'
# dissections in its unlinked temporary file. The disk the unlinked temporary files (the spool and
# the dissection store) take, in allocated blocks (the spool gives old blocks back past
# --spool-limit, so its apparent size keeps growing while its disk use does not), goes in a column
# of its own, and with SOAK_TUI the kernel drops the TUI's title shows ("drops N") in another.
# Environment: RATE (UDP datagrams/s, default 2000), FLOWS (default 200), SAMPLE (default 30),
# PKTSCOPE (default build/pktscope), SOAK_ALSO="ARGS" (a second pktscope -i lo ARGS, a batch
# mode, runs alongside; its RSS goes in two more columns). Everything goes to 127.0.0.1; every process this script
# starts is ended by its PID at the end.
# SOAK_NETNS=1: instead of loopback, the script makes two namespaces joined by a veth pair, a
# client side (10.77.0.1, where the senders and pktscope run, capturing on its veth end) and a
# server side (10.77.0.2: the web server and a UDP socket that never reads, so datagrams do not
# draw ICMP errors); nothing crosses the host's own stack. Both are deleted at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_TOTAL=${1:?seconds}
OUT=${2:?outdir}
shift 2
[ "${1:-}" = "--" ] && shift
RATE=${RATE:-2000}
DOWNLOAD_KB=${DOWNLOAD_KB:-0}
FLOWS=${FLOWS:-200}
SAMPLE=${SAMPLE:-30}
PKTSCOPE=${PKTSCOPE:-$ROOT/build/pktscope}
mkdir -p "$OUT"
chmod 777 "$OUT"
cc -O2 -o "$OUT/udp_blast" "$ROOT/bench/udp_blast.c"

pids=()
NS_CLIENT= NS_SERVER=
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    [ -n "${TMUX_SESSION:-}" ] && tmux kill-session -t "$TMUX_SESSION" 2>/dev/null || true
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    [ -n "$NS_CLIENT" ] && ip netns del "$NS_CLIENT" 2>/dev/null
    [ -n "$NS_SERVER" ] && ip netns del "$NS_SERVER" 2>/dev/null
    true
}
trap cleanup EXIT

# Where the traffic runs: CLIENT and SERVER prefix the commands of each side, IFACE is what
# pktscope captures on, TARGET the server's address.
CLIENT=() SERVER=() IFACE=lo TARGET=127.0.0.1
if [ -n "${SOAK_NETNS:-}" ]; then
    NS_CLIENT=psoak-c-$$ NS_SERVER=psoak-s-$$ IFACE=psoak-c
    ip netns add "$NS_CLIENT"
    ip netns add "$NS_SERVER"
    ip link add psoak-c netns "$NS_CLIENT" type veth peer name psoak-s netns "$NS_SERVER"
    ip -n "$NS_CLIENT" addr add 10.77.0.1/24 dev psoak-c
    ip -n "$NS_SERVER" addr add 10.77.0.2/24 dev psoak-s
    for ns in "$NS_CLIENT" "$NS_SERVER"; do
        ip -n "$ns" link set lo up
    done
    ip -n "$NS_CLIENT" link set psoak-c up
    ip -n "$NS_SERVER" link set psoak-s up
    CLIENT=(ip netns exec "$NS_CLIENT") SERVER=(ip netns exec "$NS_SERVER") TARGET=10.77.0.2
    "${SERVER[@]}" python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.0.2", 19999))
time.sleep(float(sys.argv[1]))' "$((SECONDS_TOTAL + 60))" &
    pids+=($!)
fi

[ "$DOWNLOAD_KB" -gt 0 ] && head -c $((DOWNLOAD_KB * 1024)) /dev/urandom >"$OUT/download.bin"
# The web server, on a port of its own.
HTTP_PORT=18080
(cd "$OUT" && exec "${SERVER[@]}" python3 -m http.server "$HTTP_PORT" --bind "$TARGET" >/dev/null 2>&1) &
pids+=($!)

# pktscope
if [ -n "${SOAK_TUI:-}" ]; then
    TMUX_SESSION=pktscope-soak-$$
    tmux new-session -d -s "$TMUX_SESSION" -x 160 -y 50 "${CLIENT[*]} $PKTSCOPE -i $IFACE $*; sleep 5"
    sleep 2
    PS_PID=$(pgrep -n -f "^$PKTSCOPE -i $IFACE")
else
    "${CLIENT[@]}" "$PKTSCOPE" -i "$IFACE" "$@" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt" &
    PS_PID=$!
    pids+=($PS_PID)
fi
ALSO_PID=
if [ -n "${SOAK_ALSO:-}" ]; then
    # shellcheck disable=SC2086 # SOAK_ALSO is a list of arguments
    "${CLIENT[@]}" "$PKTSCOPE" -i "$IFACE" $SOAK_ALSO >"$OUT/also-stdout.txt" 2>"$OUT/also-stderr.txt" &
    ALSO_PID=$!
    pids+=($ALSO_PID)
fi
sleep 2

# VmRSS and VmHWM of a PID, in KiB ("- -" once it has gone)
mem() { awk '/^VmRSS/{r=$2} /^VmHWM/{h=$2} END{printf "%s\t%s", r ? r : "-", h ? h : "-"}' \
    "/proc/$1/status" 2>/dev/null || printf -- '-\t-'; }

end=$((SECONDS + SECONDS_TOTAL))
(
    while [ $SECONDS -lt $end ]; do
        left=$((end - SECONDS))
        [ $left -gt 10 ] && left=10
        # shellcheck disable=SC2046 # no DEST on loopback: udp_blast then makes its own sink
        "${CLIENT[@]}" "$OUT/udp_blast" "$RATE" "$left" 64 19999 "$FLOWS" \
            $([ "$TARGET" = 127.0.0.1 ] || echo "$TARGET") >/dev/null || true
    done
) &
pids+=($!)
(
    while [ $SECONDS -lt $end ]; do
        "${CLIENT[@]}" curl -s -o /dev/null --max-time 2 "http://$TARGET:$HTTP_PORT/" || true
        sleep 0.2
        if [ "$DOWNLOAD_KB" -gt 0 ]; then
            "${CLIENT[@]}" curl -s -o /dev/null --max-time 5 "http://$TARGET:$HTTP_PORT/download.bin" ||
                true
            sleep 0.2
        fi
    done
) &
pids+=($!)
"${CLIENT[@]}" ping -q -i 0.2 -w "$SECONDS_TOTAL" "$TARGET" >/dev/null 2>&1 &
pids+=($!)

# KiB of disk (allocated blocks) of the deleted (unlinked temporary) files a PID holds open: the
# spool, the dissection store. (A file open twice, as the spool is for writing and for reading,
# counts once.)
unlinked_kib() {
    local f total=0 ino sz seen=" "
    for f in /proc/"$1"/fd/*; do
        case $(readlink "$f" 2>/dev/null) in
        *'(deleted)')
            read -r ino sz < <(stat -L -c '%i %b' "$f" 2>/dev/null || echo "0 0")
            case $seen in *" $ino "*) continue ;; esac
            seen="$seen$ino "
            total=$((total + sz * 512))
            ;;
        esac
    done
    echo $((total / 1024))
}
# The kernel drops the TUI's title bar shows ("| drops N"), "-" without the TUI.
tui_drops() {
    [ -n "${TMUX_SESSION:-}" ] || { echo -; return; }
    tmux capture-pane -p -t "$TMUX_SESSION" 2>/dev/null | head -1 |
        sed -n 's/.*| drops \([0-9]*\).*/\1/p' | grep . || echo -
}
start=$SECONDS
sample() {
    if [ -n "$ALSO_PID" ]; then
        printf '%s\t%s\t%s\t%s\t%s\n' $((SECONDS - start)) "$(mem "$PS_PID")" \
            "$(unlinked_kib "$PS_PID")" "$(tui_drops)" "$(mem "$ALSO_PID")"
    else
        printf '%s\t%s\t%s\t%s\n' $((SECONDS - start)) "$(mem "$PS_PID")" \
            "$(unlinked_kib "$PS_PID")" "$(tui_drops)"
    fi >>"$OUT/rss.tsv"
}
printf 'elapsed_s\trss_kib\thwm_kib\ttmpfile_disk_kib\tkernel_drops%s\n' \
    "${ALSO_PID:+$'\t'also_rss_kib$'\t'also_hwm_kib}" >"$OUT/rss.tsv"
while [ $SECONDS -lt $end ] && kill -0 "$PS_PID" 2>/dev/null; do
    sample
    sleep "$SAMPLE"
done
sample
[ -n "$ALSO_PID" ] && kill -INT "$ALSO_PID" 2>/dev/null
if [ -n "${SOAK_TUI:-}" ]; then
    tmux capture-pane -p -t "$TMUX_SESSION" >"$OUT/screen.txt" || true
    tmux send-keys -t "$TMUX_SESSION" q
else
    kill -INT "$PS_PID" 2>/dev/null || true
fi
gone() { ! kill -0 "$1" 2>/dev/null; }
for _ in $(seq 50); do
    gone "$PS_PID" && { [ -z "$ALSO_PID" ] || gone "$ALSO_PID"; } && break
    sleep 0.2
done
cat "$OUT/rss.tsv"
