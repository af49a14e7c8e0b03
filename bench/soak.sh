#!/usr/bin/env bash
# bench/soak.sh: does a long live capture stay in bounded memory? Not part of ctest.
#
#   sudo bench/soak.sh SECONDS OUTDIR -- PKTSCOPE-ARGS...     (batch modes)
#   sudo SOAK_TUI=1 bench/soak.sh SECONDS OUTDIR -- PKTSCOPE-ARGS...   (the TUI, in tmux)
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
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    [ -n "${TMUX_SESSION:-}" ] && tmux kill-session -t "$TMUX_SESSION" 2>/dev/null || true
}
trap cleanup EXIT

[ "$DOWNLOAD_KB" -gt 0 ] && head -c $((DOWNLOAD_KB * 1024)) /dev/urandom >"$OUT/download.bin"
# The web server, on a port of its own.
HTTP_PORT=18080
(cd "$OUT" && exec python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
pids+=($!)

# pktscope
if [ -n "${SOAK_TUI:-}" ]; then
    TMUX_SESSION=pktscope-soak-$$
    tmux new-session -d -s "$TMUX_SESSION" -x 160 -y 50 "$PKTSCOPE -i lo $*; sleep 5"
    sleep 2
    PS_PID=$(pgrep -n -f "^$PKTSCOPE -i lo")
else
    "$PKTSCOPE" -i lo "$@" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt" &
    PS_PID=$!
    pids+=($PS_PID)
fi
ALSO_PID=
if [ -n "${SOAK_ALSO:-}" ]; then
    # shellcheck disable=SC2086 # SOAK_ALSO is a list of arguments
    "$PKTSCOPE" -i lo $SOAK_ALSO >"$OUT/also-stdout.txt" 2>"$OUT/also-stderr.txt" &
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
        "$OUT/udp_blast" "$RATE" "$left" 64 19999 "$FLOWS" >/dev/null || true
    done
) &
pids+=($!)
(
    while [ $SECONDS -lt $end ]; do
        curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$HTTP_PORT/" || true
        sleep 0.2
        if [ "$DOWNLOAD_KB" -gt 0 ]; then
            curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$HTTP_PORT/download.bin" || true
            sleep 0.2
        fi
    done
) &
pids+=($!)
ping -q -i 0.2 -w "$SECONDS_TOTAL" 127.0.0.1 >/dev/null 2>&1 &
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
