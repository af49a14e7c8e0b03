# Sourced by the live-capture tests (tests/scripts/live_*.sh) after they set NAMESPACES, the
# network namespaces to create (and remove at exit), and T_NAME, a word for the scratch
# directory's name. Exits 77 (skipped) unless this runs as root and `ip netns` works. Gives:
#   T            a scratch directory, removed at exit
#   PIDS         append the PID of every process started; each is killed (by PID) at exit
#   fail/ok      report a check (fail counts into $fails)
#   wait_for TRIES CMD...   until CMD succeeds (TRIES x 0.1 s)
#   wait_exit PID SECONDS   until PID exits; its status in $wrc (255 after a forced kill)
#   size_at_least FILE BYTES
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root for network namespaces"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-$T_NAME.XXXXXX")
. "$(dirname "${BASH_SOURCE[0]}")/pids.sh"
cleanup() {
    stop_pids
    for ns in "${NAMESPACES[@]}"; do
        ip netns del "$ns" 2>/dev/null
    done
    rm -rf "$T"
}
trap cleanup EXIT
if ! ip netns add "${NAMESPACES[0]}" 2>/dev/null; then
    echo "skip: cannot create network namespaces here"
    exit 77
fi
if ! ip netns exec "${NAMESPACES[0]}" true 2>/dev/null; then
    echo "skip: cannot enter network namespaces here (ip netns exec)"
    exit 77
fi
for ns in "${NAMESPACES[@]:1}"; do
    ip netns add "$ns" || exit 1
done
for ns in "${NAMESPACES[@]}"; do
    ip -n "$ns" link set lo up || exit 1
done

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
wait_for() {
    local n=$1
    shift
    while [ "$n" -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}
wait_exit() {
    local n=$(($2 * 10))
    while [ "$n" -gt 0 ] && kill -0 "$1" 2>/dev/null; do
        sleep 0.1
        n=$((n - 1))
    done
    if kill -0 "$1" 2>/dev/null; then
        kill -KILL "$1" 2>/dev/null
        wait "$1" 2>/dev/null
        wrc=255
        return 1
    fi
    wait "$1"
    wrc=$?
    return 0
}
size_at_least() { [ -f "$1" ] && [ "$(stat -c %s "$1")" -ge "$2" ]; }
