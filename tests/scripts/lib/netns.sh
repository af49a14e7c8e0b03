# Sourced by the live-capture tests (tests/scripts/live_*.sh) after they set NAMESPACES, the
# network namespaces to create (and remove at exit), and T_NAME, a word for the scratch
# directory's name. Exits 77 (skipped) unless this runs as root and `ip netns` works. Gives:
#   T            a scratch directory, removed at exit
#   PIDS         append the PID of every process started; each is killed (by PID) at exit
#   fail/ok      report a check (fail counts into $fails)
#   wait_for TRIES CMD...   until CMD succeeds (TRIES x 0.1 s)
#   wait_exit PID SECONDS   until PID exits; its status in $wrc (255 after a forced kill)
#   size_at_least FILE BYTES
#   veth_pair NS_A IF_A ADDR_A NS_B IF_B ADDR_B   two namespaces joined, addressed and up
#   tcpdump_to NS FILE FILTER   tcpdump on NS's loopback writing FILE, its PID in TD
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

# A veth pair: IF_A in NS_A with address ADDR_A (a.b.c.d/len), IF_B in NS_B with ADDR_B, both up,
# IPv6 off in both namespaces (its router solicitations and MLD reports would make the packet
# counts vary). Skips where the kernel makes no veth pairs.
veth_pair() {
    local ns_a=$1 if_a=$2 addr_a=$3 ns_b=$4 if_b=$5 addr_b=$6 ns
    ip link add "$if_a" type veth peer name "$if_b" || { echo "skip: no veth support"; exit 77; }
    ip link set "$if_a" netns "$ns_a" && ip link set "$if_b" netns "$ns_b" || exit 1
    for ns in "$ns_a" "$ns_b"; do
        ip netns exec "$ns" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6;
                                   echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null
    done
    ip -n "$ns_a" addr add "$addr_a" dev "$if_a" && ip -n "$ns_b" addr add "$addr_b" dev "$if_b" || exit 1
    ip -n "$ns_a" link set "$if_a" up && ip -n "$ns_b" link set "$if_b" up || exit 1
}

# tcpdump on NS's loopback writing FILE (each packet as it comes) for FILTER, its PID in TD (and
# PIDS), returning once it has written the file's header and said it listens. Skips when tcpdump
# cannot capture or write here (AppArmor, a container): not pktscope's failure.
tcpdump_to() {
    local ns=$1 file=$2 filter=$3
    # -Z root: tcpdump would otherwise drop to its own user, who may not write into $T.
    ip netns exec "$ns" tcpdump -i lo -U -Z root -n -w "$file" "$filter" 2>"$T/tcpdump.err" &
    TD=$!
    PIDS+=("$TD")
    if ! wait_for 100 size_at_least "$file" 24; then
        echo "skip: tcpdump did not start writing: $(cat "$T/tcpdump.err")"
        exit 77
    fi
    wait_for 100 grep -q "listening on" "$T/tcpdump.err"
}
