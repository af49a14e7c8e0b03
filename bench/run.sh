#!/usr/bin/env bash
# bench/run.sh: pktscope against a bare libpcap read loop, tcpdump and tshark, on one big file.
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
#   REPEAT=N            runs of each command; the fastest is reported (default 1)
#   KEEP=1              keep the capture afterwards
#
# Every command reads the same file, from the page cache (the file is read once before the
# first timing), so the figures compare CPU work, not the disk. Wall time comes from a monotonic
# clock, CPU time (user + system) and max RSS from the child's rusage (bench/measure.py; the
# same figures as /usr/bin/time -v). On a busy machine, CPU time is the figure to compare.
# The results table goes to stdout and to $BENCH_DIR/results.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_PACKETS:-1000000}
TN=${TSHARK_PACKETS:-100000}
DIR=${BENCH_DIR:-/tmp/pktscope-bench}
REPEAT=${REPEAT:-1}
CC=${CC:-cc}
mkdir -p "$DIR"
F="$DIR/bench.pcap"
SUB="$DIR/bench-sub.pcap"
OUT="$DIR/results.md"

say() { printf '%s\n' "$*" >&2; }

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
$CC -std=c11 -O2 -D_GNU_SOURCE -I"$ROOT" -o "$DIR/index_pass" "$ROOT/bench/index_pass.c" \
    "$LIBDIR/libps_capture.a" "$LIBDIR/libps_util.a" -lpcap

# ---- the capture ---------------------------------------------------------------------------
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
cat "$F" "$SUB" >/dev/null   # into the page cache

# ---- measuring -----------------------------------------------------------------------------
RESULTS=()
run() { # NAME PACKETS OUTFILE CMD...
    local line status=0
    line=$(python3 "$ROOT/bench/measure.py" "$1" "$2" "$3" "$REPEAT" "${@:4}") || status=$?
    [ "$status" -eq 0 ] || say "bench: $1 exited with status $status"
    RESULTS+=("$line")
    say "$line"
}

say "bench: $N packets, $size bytes in $F; timing (each command $REPEAT time(s))"
run "bare libpcap loop (pcap_next_ex)" "$N" /dev/null "$DIR/bare_read" "$F"
run "pktscope index pass (file_source_index)" "$N" "$DIR/index.txt" "$DIR/index_pass" "$F"
run "tcpdump -r F -w /dev/null" "$N" /dev/null tcpdump -r "$F" -w /dev/null
run "tcpdump -nr F > /dev/null" "$N" /dev/null tcpdump -nr "$F"
run "pktscope --stats -r F" "$N" "$DIR/stats.txt" "$PKTSCOPE" --stats -r "$F"
# A display filter must not turn a fast pass slow (issue 9: at most 10% more CPU than --stats).
run "pktscope --stats -Y 'tcp.port == 80 || dns' -r F" "$N" "$DIR/stats-y.txt" "$PKTSCOPE" --stats \
    -Y 'tcp.port == 80 || dns' -r "$F"
run "pktscope --print -r F > /dev/null" "$N" /dev/null "$PKTSCOPE" --print -r "$F"
run "pktscope --json -r F > /dev/null" "$N" /dev/null "$PKTSCOPE" --json -r "$F"
if [ "$SUB" != "$F" ]; then
    run "tshark -r F > /dev/null (first $TN packets)" "$TN" /dev/null tshark -r "$SUB"
    run "tcpdump -nr F > /dev/null (same $TN packets)" "$TN" /dev/null tcpdump -nr "$SUB"
    run "pktscope --print (same $TN packets)" "$TN" /dev/null "$PKTSCOPE" --print -r "$SUB"
    run "pktscope --json (same $TN packets)" "$TN" /dev/null "$PKTSCOPE" --json -r "$SUB"
else
    run "tshark -r F > /dev/null" "$N" /dev/null tshark -r "$F"
fi
read -r idx_packets idx_first_ms idx_total_ms idx_bytes <"$DIR/index.txt" || true

{
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname)"
    echo
    echo "- machine: $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM, load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- capture: $N packets, $size bytes (bench/gen.c: TCP/IPv4+IPv6 HTTP-like flows, DNS, ICMP, ARP; checksums correct), from the page cache"
    echo "- pktscope: $("$PKTSCOPE" --version 2>/dev/null | head -1), $PKTSCOPE"
    echo "- tcpdump: $(tcpdump --version 2>&1 | head -1); $(tcpdump --version 2>&1 | sed -n 2p); tshark: $(tshark --version 2>/dev/null | head -1)"
    echo "- index pass: first 65536 entries after ${idx_first_ms:-?} ms, all ${idx_packets:-?} after ${idx_total_ms:-?} ms, $(( ${idx_bytes:-0} / 1048576 )) MB of entries (32 bytes a packet)"
    echo
    echo "| command                                        |   packets | wall (s) |    packets/s | CPU (s) | packets/CPU-s | RSS (MB) |"
    echo "|------------------------------------------------|-----------|----------|--------------|---------|--------------|----------|"
    printf '%s\n' "${RESULTS[@]}"
} | tee "$OUT"

if [ "${KEEP:-0}" != 1 ]; then
    rm -f "$F" "$SUB"
fi
