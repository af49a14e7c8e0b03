# Sourced by the TUI tests (tests/scripts/ui_*.sh): pktscope runs in a tmux session named "ui" on
# a tmux server of this test's own (socket pktscope-test-PID), and the test reads the screen.
# Gives WORK (a scratch directory, removed at exit with the tmux server) and the helpers below.
# Every wait is bounded.
. "$(dirname "${BASH_SOURCE[0]}")/skip.sh"
command -v tmux >/dev/null || skip "tmux not installed"
# A sanitized build stops at its first report (and the screen the test reads shows it).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
SOCK=pktscope-test-$$
WORK=$(mktemp -d)
# The TUI writes its settings file when a setting changes (t, the column chooser, the sort):
# each test has its own, so that neither the tester's file nor another test's is read.
export XDG_CONFIG_HOME=$WORK/config
T() { tmux -L "$SOCK" "$@"; }
cleanup() {
    T kill-server 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
# A session that lasts as long as the test keeps the server up: a test that kills "ui" to start
# it again would otherwise race with the server exiting ("server exited unexpectedly").
T -f /dev/null new-session -d -s keep "sleep 900" || { echo "FAIL: cannot start tmux"; exit 1; }
fail() {
    echo "FAIL: $*"
    echo "---- screen ----"
    T capture-pane -p -t ui 2>/dev/null
    exit 1
}
screen() { T capture-pane -p -t ui; }
# wait_for REGEX [tenths]: until the screen matches (bounded: default 10 s)
wait_for() {
    local n=${2:-100}
    for ((i = 0; i < n; i++)); do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.1
    done
    fail "timed out waiting for /$1/"
}
# expect REGEX: the screen shows it now or within 5 s (a loaded machine redraws late)
expect() { wait_for "$1" 50; }
# reject REGEX: the screen does not show it
reject() { screen | grep -Eq -- "$1" && fail "screen shows /$1/"; return 0; }
keys() { T send-keys -t ui "$@"; sleep 0.15; }
# type_line TEXT: typed literally, then Enter
type_line() { T send-keys -t ui -l "$1"; T send-keys -t ui Enter; sleep 0.2; }
