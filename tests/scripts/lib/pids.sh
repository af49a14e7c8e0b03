# Sourced by tests that start processes which outlive a command (servers, live captures): append
# each one's PID to PIDS; stop_pids [TENTHS] ends them by PID at exit. TERM first: a `timeout
# CMD` passes it on to CMD, where KILL would orphan CMD. Then, after at most TENTHS tenths of a
# second for each (default 20), KILL for whatever is left.
PIDS=()
stop_pids() {
    local pid n limit=${1:-20}
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for ((n = 0; n < limit; n++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
}
