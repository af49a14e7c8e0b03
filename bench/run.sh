#!/usr/bin/env bash
# bench/run.sh: pktscope against a bare libpcap read loop, tcpdump and tshark (issue 11's table
# with its goals), on a generated capture, on real programs' traffic, and at growing sizes.
# Not part of ctest (it takes minutes and wants an idle machine).
#
#   bench/run.sh                 ~1M packets (~0.9 GB) in $BENCH_DIR (default /tmp/pktscope-bench)
#
# Environment:
#   BENCH_PACKETS=N     packets in the capture (default 1000000)
#   TSHARK_PACKETS=N    tshark reads only the first N packets (default 100000; 0 = all): it is
#                       some 50 times slower than the others; its packets/s is what to compare
#   BENCH_DIR=DIR       where the capture, the helpers and the results go (not the repository)
#   PKTSCOPE=PATH       the binary to time (default: a Release build made in $BENCH_DIR/build)
#   REPEAT=N            rounds; each round runs every command once, in turn, and the median of
#                       the rounds is reported (default 3)
#   BENCH_REAL_MB=MB    size of the real-traffic capture (bench/make-real.sh, needs root; made
#                       once and kept in $BENCH_DIR; default 1000, 0 = none)
#   BENCH_SIZES="..."   the scaling runs, in MB of generated traffic (default "100 1000 10000";
#                       "" = none); each capture is removed after its runs
#   BENCH_PARTS="..."   which parts run (default "generated real scaling"): the goals table on
#                       the generated capture, the same on real traffic, the scaling runs
#   KEEP=1              keep the capture afterwards
#
# Every command reads the same file, from the page cache (the file is read once before the
# first timing, after being dropped from the cache: settle below; and held there while its part
# is timed: hold below), so the figures compare CPU work, not the disk. Wall time comes from a monotonic
# clock, CPU time (user + system) and max RSS from the child's rusage (bench/goals.py; the
# same figures as /usr/bin/time -v). On a busy machine, CPU time is the figure to compare.
# The results table goes to stdout and to $BENCH_DIR/results.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_PACKETS:-1000000}
TN=${TSHARK_PACKETS:-100000}
DIR=${BENCH_DIR:-/tmp/pktscope-bench}
REPEAT=${REPEAT:-3}
CC=${CC:-cc}
mkdir -p "$DIR"
F="$DIR/bench.pcap"
SUB="$DIR/bench-sub.pcap"
OUT="$DIR/results.md"
PARTS=" ${BENCH_PARTS:-generated real scaling} "
part() { [[ "$PARTS" == *" $1 "* ]]; }

say() { printf '%s\n' "$*" >&2; }

# settle FILE...: into the page cache as a file read from disk comes in (in readahead's large
# folios), not as it was written. A capture written a record at a time (tcpdump, make-real.sh)
# stays in the cache in small pages, which every reader then reads more slowly: on 2026-12-06
# read() took 45-106 ms for the real-traffic capture's GB in the state its writing left, 25-30
# ms once dropped and read back (the generated one, written in big blocks: 26-47 ms and 22 ms),
# and that state moved between runs. Written out, dropped (clean pages only), read once.
settle() {
    python3 - "$@" <<'PY'
import os, sys
for path in sys.argv[1:]:
    fd = os.open(path, os.O_RDONLY)
    os.fsync(fd)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)
PY
    cat "$@" >/dev/null
}

# hold WHAT FILE...: keeps the files in the page cache (bench/hold.c, which locks them) until
# release, and sets HOLD_NOTE, the results' line that says whether it could, for WHAT. Some
# machines page out whatever was not touched for a second or so (seen in session 33: DAMON's
# pageout scheme), the page cache of a capture included, and the commands timed after tshark's
# long runs then read part of theirs from disk.
HOLD_PID=""
HOLD_NOTE=""
hold() {
    local what=$1 i
    shift
    release
    rm -f "$DIR/hold.ready"
    "$DIR/hold" "$DIR/hold.ready" "$@" 2>"$DIR/hold.err" &
    HOLD_PID=$!
    for ((i = 0; i < 600; i++)); do # bounded: 60 s to map and lock a few GB from the cache
        [ -s "$DIR/hold.ready" ] && break
        kill -0 "$HOLD_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -s "$DIR/hold.ready" ]; then
        HOLD_NOTE="- $what: held in the page cache while timed (bench/hold.c), $(($(cat "$DIR/hold.ready") / 1048576)) MB"
    else
        HOLD_NOTE="- $what: not held in the page cache (bench/hold.c: $(head -c 300 "$DIR/hold.err"))"
        release
    fi
}
release() {
    if [ -n "$HOLD_PID" ]; then
        kill "$HOLD_PID" 2>/dev/null || true
        wait "$HOLD_PID" 2>/dev/null || true
        HOLD_PID=""
    fi
}
trap release EXIT

for tool in tcpdump tshark python3 cmake; do
    command -v "$tool" >/dev/null || { say "bench: $tool is missing: run scripts/install-deps.sh"; exit 2; }
done

# ---- build what we time -------------------------------------------------------------------
if [ -z "${PKTSCOPE:-}" ]; then
    say "bench: building pktscope (Release) in $DIR/build"
    cmake -S "$ROOT" -B "$DIR/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$DIR/build" -j"$(nproc)" --target pktscope ps_capture ps_util >/dev/null
    PKTSCOPE="$DIR/build/pktscope"
    LIBDIR="$DIR/build"
else
    LIBDIR=${LIBDIR:-$(dirname "$PKTSCOPE")}
fi
[ -x "$PKTSCOPE" ] || { say "bench: no pktscope binary at $PKTSCOPE"; exit 2; }
if [ ! -f "$LIBDIR/libps_capture.a" ]; then
    say "bench: building the capture library in $DIR/build"
    cmake -S "$ROOT" -B "$DIR/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$DIR/build" -j"$(nproc)" --target ps_capture ps_util >/dev/null
    LIBDIR="$DIR/build"
fi
$CC -std=c11 -O2 -o "$DIR/gen" "$ROOT/bench/gen.c"
$CC -std=c11 -O2 -D_GNU_SOURCE -o "$DIR/bare_read" "$ROOT/bench/bare_read.c" -lpcap
$CC -std=c11 -O2 -D_GNU_SOURCE -o "$DIR/rusage" "$ROOT/bench/rusage.c"
$CC -std=c11 -O2 -D_GNU_SOURCE -o "$DIR/hold" "$ROOT/bench/hold.c"
$CC -std=c11 -O2 -D_GNU_SOURCE -I"$ROOT" -o "$DIR/index_pass" "$ROOT/bench/index_pass.c" \
    "$LIBDIR/libps_capture.a" "$LIBDIR/libps_util.a" -lpcap

# ---- the capture ---------------------------------------------------------------------------
{
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): bench/run.sh ($(echo $PARTS))"
    echo
    echo "- pktscope: $("$PKTSCOPE" --version 2>/dev/null | head -1), $PKTSCOPE (commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?))"
    echo "- tcpdump: $(tcpdump --version 2>&1 | head -1); $(tcpdump --version 2>&1 | sed -n 2p); tshark: $(tshark --version 2>/dev/null | head -1)"
    echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
} >"$OUT"
GOALS=(python3 "$ROOT/bench/goals.py" --pktscope "$PKTSCOPE" --bare "$DIR/bare_read"
    --index-pass "$DIR/index_pass" --rusage "$DIR/rusage" --repeat "$REPEAT" --out "$OUT")
if part generated; then
    need=$(( N * 1000 / 1024 / 1024 + 200 ))   # MB: ~900 bytes a packet, and some room
    avail=$(df -Pm "$DIR" | awk 'NR == 2 { print $4 }')
    if [ "$avail" -lt "$need" ]; then
        N=$(( (avail - 200) * 1024 * 1024 / 1000 ))
        [ "$N" -gt 10000 ] || { say "bench: not enough disk in $DIR"; exit 2; }
        say "bench: only ${avail} MB free in $DIR: using $N packets instead"
    fi
    "$DIR/gen" "$F" "$N"
    size=$(stat -c %s "$F")
    if [ "$TN" -gt 0 ] && [ "$TN" -lt "$N" ]; then
        tcpdump -r "$F" -c "$TN" -w "$SUB" 2>/dev/null
    else
        TN=$N
        SUB=$F
    fi
    settle "$F" "$SUB"
    hold "the generated capture" "$F" "$SUB"
    echo "$HOLD_NOTE" >>"$OUT"

    # ---- measuring: issue 11's table, interleaved rounds (bench/goals.py) ----------------------
    say "bench: $N packets, $size bytes in $F; $REPEAT round(s) of every command"
    "${GOALS[@]}" --full "$F" --full-packets "$N" --sub "$SUB" --sub-packets "$TN" --tui \
        --label "generated capture (bench/gen.c: TCP/IPv4+IPv6 HTTP-like flows, DNS, ICMP, ARP)"
    release
fi

# The same on real programs' traffic (bench/make-real.sh, namespaces: needs root).
REAL_MB=${BENCH_REAL_MB:-1000}
if part real && [ "$REAL_MB" -gt 0 ] && [ "$(id -u)" -eq 0 ]; then
    R="$DIR/real.pcap"
    RSUB="$DIR/real-sub.pcap"
    [ -s "$R" ] || bash "$ROOT/bench/make-real.sh" "$R" "$REAL_MB"
    RN=$("$DIR/bare_read" "$R" | cut -d' ' -f1)
    RTN=$TN
    if [ "$RTN" -gt 0 ] && [ "$RTN" -lt "$RN" ]; then
        tcpdump -r "$R" -c "$RTN" -w "$RSUB" 2>/dev/null
    else
        RTN=$RN
        RSUB=$R
    fi
    settle "$R" "$RSUB"
    hold "the real-traffic capture" "$R" "$RSUB"
    echo "$HOLD_NOTE" >>"$OUT"
    "${GOALS[@]}" --full "$R" --full-packets "$RN" --sub "$RSUB" --sub-packets "$RTN" --tui \
        --label "real traffic (bench/make-real.sh: HTTP, HTTPS, DNS, ping between namespaces)"
    release
fi

# Scaling: the same generated traffic at several sizes; CPU should grow with the packets and
# batch RSS stay flat (issue 11: at most 64 MB at 10 GB in every batch mode).
SIZES=${BENCH_SIZES:-100 1000 10000}
if part scaling && [ -n "$SIZES" ]; then
    {
        echo "### scaling: the generated traffic at ${SIZES// /, } MB (one run each)"
        echo
        echo "| size | packets | command | CPU (s) | µs CPU/packet | wall (s) | peak RSS (MB) |"
        echo "|---|---:|---|---:|---:|---:|---:|"
    } >>"$OUT"
    held=()
    for mb in $SIZES; do
        sn=$((mb * 1000 * 1000 / 908)) # bench/gen.c writes about 908 bytes a packet
        G="$DIR/scale-$mb.pcap"
        "$DIR/gen" "$G" "$sn"
        settle "$G"
        hold "$mb MB" "$G"
        held+=("$HOLD_NOTE")
        for mode in bare --stats --conns --json --print; do
            if [ "$mode" = bare ]; then cmd=("$DIR/bare_read" "$G"); name="bare libpcap loop"
            else cmd=("$PKTSCOPE" "$mode" -r "$G"); name="pktscope $mode"; fi
            "$DIR/rusage" "$DIR/rusage.out" "${cmd[@]}" >/dev/null 2>&1
            read -r wall cpu rss code <"$DIR/rusage.out"
            [ "$code" = 0 ] || say "bench: $name on $G exited with status $code"
            awk -v mb="$mb" -v n="$sn" -v name="$name" -v wall="$wall" -v cpu="$cpu" -v rss="$rss" \
                'BEGIN { printf "| %s MB | %d | %s | %.2f | %.2f | %.2f | %.1f |\n", mb, n, name,
                         cpu, cpu / n * 1e6, wall, rss / 1024 }' >>"$OUT"
            tail -1 "$OUT" >&2
        done
        release
        rm -f "$G"
    done
    echo >>"$OUT"
    printf '%s\n' "${held[@]}" >>"$OUT"
    echo >>"$OUT"
fi
cat "$OUT"

if [ "${KEEP:-0}" != 1 ]; then
    rm -f "$F" "$SUB"
fi
