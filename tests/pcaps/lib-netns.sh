# Sourced by the make-*.sh scripts that build network namespaces (make-classroom.sh,
# make-classroom6.sh). The caller owns PIDS (the processes it started, each by its own PID),
# ALL_NS (the namespaces it made) and WORK (its scratch directory), and sets ME (its name, for
# messages).

# Ends the processes started, removes the namespaces and the scratch directory.
netns_cleanup() {
  local p n
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  for n in "${ALL_NS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$WORK"
}

in_ns() { local n=$1; shift; ip netns exec "$n" "$@"; }

wait_for() { # description command...: up to 5 s for the command to succeed
  local what=$1 i
  shift
  for i in $(seq 50); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$ME: timed out waiting for $what" >&2
  exit 1
}
