#!/usr/bin/env bash
# Whole-screen TUI tests, as tig's test suite does them: each scenario starts pktscope on a small
# capture in a tmux pane of an exact size (80x24, 120x40, 200x60), sends keys and SGR mouse
# sequences, and at each checkpoint diffs the whole screen (tmux capture-pane -p) against the
# reviewed expected screen tests/ui-screens/<checkpoint>.<cols>x<rows>.screen; two checkpoints
# at 80x24 (a selected row, an ICMP error's colour) also keep the colours and attributes
# (capture-pane -e) in <checkpoint>.80x24.attrs.
#
#     tests/scripts/ui_screens.sh [SCENARIO...]          SIZES=80x24 to run one size only;
#                                                       PKTSCOPE defaults to build/pktscope
#     REGEN=1 tests/scripts/ui_screens.sh [SCENARIO...]  rewrites the expected screens: then READ
#                                                       every changed line (git diff) before
#                                                       committing, as a reviewer would.
#
# The terminal is fixed so that only pktscope can change a screen: the environment is emptied
# (env -i: no NO_COLOR, COLUMNS or user variables), TZ=UTC, XDG_CONFIG_HOME and HOME are empty
# scratch directories (a user's config file cannot change the screen), tmux reads no config
# (-f /dev/null) and runs on a private socket that is the only server this script stops.
# LC_ALL=C.UTF-8: what people's terminals use, and the harder case for the drawing code (the
# ellipsis and arrows are three bytes wide in memory, one column on screen); the C locale's
# ASCII fallbacks are checked by ui_basic.sh. TERM=xterm-256color: its terminfo entry has
# kmous=\E[< and XM (mode 1006), so ncurses 6.4 turns on SGR mouse reporting and parses the
# SGR sequences sent below (tmux-256color and screen have only the X10 kmous=\E[M).
#
# Nothing on these screens depends on the wall clock or the machine's speed (file captures, no
# packets per second). One thing is masked (see capture()): the version in the help's title.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
[ -x "$PKTSCOPE" ] || { echo "FAIL: no pktscope binary at $PKTSCOPE (set PKTSCOPE)"; exit 1; }
# The pane runs in a scratch directory: the program's path must not be relative.
PKTSCOPE=$(cd "$(dirname "$PKTSCOPE")" && pwd)/$(basename "$PKTSCOPE")
LIB=$(cd "$(dirname "$0")/lib" && pwd)
. "$LIB/skip.sh"
command -v tmux >/dev/null || skip "tmux not installed"
command -v python3 >/dev/null || skip "python3 not installed (lib/sgr_canon.py)"
PCAPS=$SRCDIR/tests/pcaps
SCREENS=$SRCDIR/tests/ui-screens
for f in http-get.pcap dns.pcap ping.pcap; do
    [ -r "$PCAPS/$f" ] || skip "$PCAPS/$f missing"
done
locale -a 2>/dev/null | grep -Eqi '^c\.utf-?8$' || skip "no C.UTF-8 locale"
REGEN=${REGEN:-0}
SIZES=${SIZES:-60x20 80x24 120x40 200x60}
export LC_ALL=C.UTF-8 # for tmux itself: it stores and prints the cells as UTF-8

SOCK=pktscope-screens-$$
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-screens.XXXXXX")
T() { tmux -L "$SOCK" "$@"; }
cleanup() {
    T kill-server 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
# A session that lasts as long as the test keeps the server up between scenarios (a server
# whose last session ends exits, and the next new-session would race with it).
T -f /dev/null new-session -d -s keep "sleep 900" || { echo "FAIL: cannot start tmux"; exit 1; }
mkdir -p "$WORK/config" "$WORK/home" || exit 1

# Each size runs in its own session "ui-<size>", with its own directory $RUN (where the pane
# starts and files are saved) and scratch files; the sizes run at the same time (see the end).
fails=0
size= cols= rows= scenario= pane= RUN=
fail() {
    echo "FAIL: $scenario at $size: $*"
    fails=$((fails + 1))
}
# capture FILE [-e]: the screen (with -e, with its colours and attributes). The help's title
# names the version ("pktscope 0.1.0: keys"), which becomes "pktscope VERSION": a release is not
# a change of the screen, and must not need the expected screens written again.
# With -e, lib/sgr_canon.py writes the attributes as readable tags ({bold white/blue}) and in
# one canonical form: tmux's own escape sequences for one screen depend on how ncurses painted
# the blanks at the lines' ends.
capture() {
    if [ "${2:-}" = -e ]; then
        T capture-pane -p -e -t "$pane" | python3 "$LIB/sgr_canon.py"
    else
        T capture-pane -p -t "$pane"
    fi | sed 's/^\(.*\)pktscope [0-9][0-9.a-z-]*: keys/\1pktscope VERSION: keys/' >"$1"
}

# start CAPTURE [OPTION...]: pktscope on CAPTURE (in $RUN, named without a directory so that
# the title is the same on every machine) in a fresh pane of the current size; waits for the
# first screen.
start() {
    T kill-session -t "$pane" 2>/dev/null
    T new-session -d -s "$pane" -x "$cols" -y "$rows" -c "$RUN" \
        "exec env -i PATH='$PATH' HOME='$WORK/home' XDG_CONFIG_HOME='$WORK/config' \
        TERM=xterm-256color LC_ALL=C.UTF-8 TZ=UTC '$PKTSCOPE' -r '$1' ${*:2}" || {
        fail "cannot start pktscope in tmux"
        return 1
    }
    # Keys typed before ncurses owns the terminal would be echoed by the tty, and keys sent while
    # the capture is still being indexed would change which rows were ever drawn (the columns
    # take the widest cell drawn so far): wait for the whole first screen, settled.
    local i shot prev=""
    for ((i = 0; i < 100; i++)); do
        shot=$(T capture-pane -p -t "$pane" 2>/dev/null)
        if [ "$shot" = "$prev" ] && printf '%s\n' "$shot" | head -1 | grep -q "^pktscope $1 | [1-9][0-9]* packets" &&
            printf '%s\n' "$shot" | grep -Eq '^ +1 '; then
            return 0
        fi
        prev=$shot
        sleep 0.1
    done
    fail "pktscope did not show its first screen within 10 s"
    return 1
}
# start_paced CAPTURE ARGS...: pktscope --step or --pace (ARGS) on CAPTURE; waits until the
# title says how many packets the file holds (counted in the background) and the screen settles.
start_paced() {
    local cap=$1
    shift
    T kill-session -t "$pane" 2>/dev/null
    T new-session -d -s "$pane" -x "$cols" -y "$rows" -c "$RUN" \
        "exec env -i PATH='$PATH' HOME='$WORK/home' XDG_CONFIG_HOME='$WORK/config' \
        TERM=xterm-256color LC_ALL=C.UTF-8 TZ=UTC '$PKTSCOPE' -r '$cap' $*" || {
        fail "cannot start pktscope in tmux"
        return 1
    }
    local i shot prev=""
    for ((i = 0; i < 100; i++)); do
        shot=$(T capture-pane -p -t "$pane" 2>/dev/null)
        if [ "$shot" = "$prev" ] && printf '%s\n' "$shot" | head -1 |
            grep -Eq "^pktscope $cap \| (before )?packet [0-9]+ of [0-9]+"; then
            return 0
        fi
        prev=$shot
        sleep 0.1
    done
    fail "pktscope --step did not show its first screen within 10 s"
    return 1
}
keys() { T send-keys -t "$pane" "$@"; }
# until_shown REGEX: until a line of the screen matches (bounded: 10 s), for keys that must
# wait for what an earlier key opens.
until_shown() {
    local i
    for ((i = 0; i < 100; i++)); do
        T capture-pane -p -t "$pane" 2>/dev/null | grep -Eq -- "$1" && return 0
        sleep 0.1
    done
    fail "timed out waiting for /$1/"
    return 1
}
# type_line TEXT: typed literally, then Enter
type_line() { T send-keys -t "$pane" -l "$1" && T send-keys -t "$pane" Enter; }
# SGR 1006 mouse reports, as xterm sends them (columns and rows count from 1): a press ends in M,
# a release in m; the wheel is button 64 (up) and 65 (down), pressed only.
click() { T send-keys -t "$pane" -l $'\e'"[<0;$1;$2M"$'\e'"[<0;$1;$2m"; }
wheel_down() { T send-keys -t "$pane" -l $'\e'"[<65;$1;$2M"; }

# screen_is CHECKPOINT [attrs]: the screen settles on the expected one. A pass needs two
# captures 0.1 s apart that both equal the expected screen; otherwise, after 10 s, the last
# capture is diffed. With REGEN=1 the screen must stay unchanged for 1 s (10 captures) before it
# is written. With "attrs", the colours and attributes (capture-pane -e) are compared as well.
screen_is() {
    local name=$1.$size want=$SCREENS/$1.$size.screen got=$RUN.got prev=$RUN.prev
    local i same=0
    : >"$prev"
    for ((i = 0; i < 100; i++)); do
        sleep 0.1
        capture "$got"
        if cmp -s "$got" "$prev"; then
            same=$((same + 1))
        else
            same=0
        fi
        cp "$got" "$prev"
        if [ "$REGEN" = 1 ]; then
            [ "$same" -ge 10 ] && break
        elif [ "$same" -ge 1 ] && cmp -s "$got" "$want"; then
            break
        fi
    done
    if [ "$REGEN" = 1 ]; then
        [ "$same" -ge 10 ] || fail "$name: the screen did not settle within 10 s"
        mkdir -p "$SCREENS"
        cp "$got" "$want"
        [ "${2:-}" = attrs ] && capture "${want%.screen}.attrs" -e
        return 0
    fi
    if ! cmp -s "$got" "$want"; then
        fail "$name: the screen differs from $want (- expected, + shown)"
        diff -u "$want" "$got" | sed '1,2d'
        return 1
    fi
    if [ "${2:-}" = attrs ]; then
        capture "$got" -e
        cmp -s "$got" "${want%.screen}.attrs" || {
            fail "$name: colours or attributes differ (- expected, + shown)"
            diff -u "${want%.screen}.attrs" "$got" | sed '1,2d'
            return 1
        }
    fi
    echo "ok: $name"
}

# ---- scenarios: one function each; checkpoint names are unique over all of them -----------

# The first screen: the list, the first packet's layers and its bytes.
scenario_first() {
    start http-get.pcap || return
    screen_is first
}

# The layers pane with a layer expanded: the SYN (packet 3), its TCP layer opened by keys.
scenario_layers() {
    start http-get.pcap || return
    keys j j Tab j j j Space
    screen_is layers-open
}

# The connection table, then sorted by the next column (>).
scenario_conns() {
    start dns.pcap || return
    keys c
    screen_is conns
    keys '>'
    screen_is conns-sorted
}

# An invalid display filter: the message says what is wrong and where.
scenario_filter_error() {
    start http-get.pcap || return
    keys f
    type_line 'tcp.port == '
    screen_is filter-error
}

# A display filter applied.
scenario_filter() {
    start http-get.pcap || return
    keys f
    type_line tcp
    screen_is filter-tcp
}

# The ladder of the SYN's stream, and following that stream.
scenario_ladder() {
    start http-get.pcap || return
    keys j j L
    screen_is ladder
}
scenario_follow() {
    start http-get.pcap || return
    keys j j F
    screen_is follow
}

scenario_stats() {
    start http-get.pcap || return
    keys s
    screen_is stats
}

scenario_help() {
    start http-get.pcap || return
    keys '?'
    screen_is help
}

# Saving the filtered packets: the prompt with its default name, Enter, the confirmation; the
# file written holds the 12 TCP packets.
scenario_save() {
    start http-get.pcap || return
    rm -f "$RUN/pktscope-packets.pcapng"
    keys f
    type_line tcp
    keys w
    screen_is save-prompt
    keys Enter
    screen_is save-done
    local saved=$RUN/pktscope-packets.pcapng n
    [ -f "$saved" ] || { fail "no file $saved"; return; }
    if command -v tshark >/dev/null; then
        n=$(tshark -r "$saved" -T fields -e frame.number 2>/dev/null | wc -l)
    else
        n=$("$PKTSCOPE" -r "$saved" --print | wc -l)
    fi
    [ "$n" -eq 12 ] || fail "the saved file holds $n packets, not 12"
}

# Mouse: a click on a list row selects it (the layers pane shows that packet; the selection's
# reverse video is in the .attrs file at 80x24), a click on a layer's fold mark opens it, and
# the wheel moves down the list (3 lines a notch).
scenario_mouse() {
    start http-get.pcap || return
    # Row 1 is the title, row 2 the column header: row 8 is packet 6 (HTTP GET).
    click 10 8
    if [ "$size" = 80x24 ]; then screen_is mouse-row attrs; else screen_is mouse-row; fi
    # The layers pane's title is the row after the list's last row; its fourth row is the layer
    # L3 (Frame, L2, L3): a click on its fold mark (column 1) opens it.
    local title
    title=$(T capture-pane -p -t "$pane" | grep -n '^ Layers (' | head -1 | cut -d: -f1)
    click 1 $((title + 3))
    screen_is mouse-layer
    wheel_down 10 5
    wheel_down 10 5
    screen_is mouse-wheel
}

# Colour: the ICMP error (ping.pcap's packet 14, Destination unreachable) in its colouring
# rule's colour, below the selected row (13) in reverse video; kept in the .attrs file at 80x24.
scenario_colours() {
    start ping.pcap || return
    # In one go: the list must scroll as if they were typed slowly (it once did not).
    keys G k
    if [ "$size" = 80x24 ]; then screen_is colours attrs; else screen_is colours; fi
}

# ---- stepping (--step, --pace), at 60x20 and 80x24 only: the sizes of a projector ---------
# (--no-config: the settings an earlier scenario saved, such as the connections' sort, must not
# change these screens, whichever scenarios run.)
projector_size() { [ "$size" = 60x20 ] || [ "$size" = 80x24 ]; }

# Stepping forward and back: the screen says how to step and counts "packet 3 of 14"; forward 5
# then back 2 shows exactly the screen that forward 3 showed (the same expected file, step-3),
# in the packet list and layers, in the ladder and in the connections view.
scenario_step() {
    projector_size || return 0
    start_paced http-get.pcap --step --no-config || return
    screen_is step-start
    keys . . .
    screen_is step-3
    keys . .
    screen_is step-5
    keys , ,
    screen_is step-3
    keys L
    screen_is step-ladder-3
    keys . .
    screen_is step-ladder-5
    keys , ,
    screen_is step-ladder-3
    keys q c
    screen_is step-conns-3
    keys . . . . . .
    screen_is step-conns-9
    keys , , , , , ,
    screen_is step-conns-3
    keys q , , ,
    screen_is step-first
}

# The statistics follow stepping: opened at packet 3 they count 3 packets; two steps forward
# count 5; two steps back show exactly the screens packet 3 showed (the same expected files:
# the top, and the end with the tracker's counters and the conversations), although the
# pipeline's counters and tracker have seen 5 by then (the view counts the 3 again).
scenario_step_stats() {
    projector_size || return 0
    start_paced http-get.pcap --step --no-config || return
    keys . . .
    keys s
    screen_is step-stats-3
    keys G
    screen_is step-stats-3-end
    keys . .
    screen_is step-stats-5-end
    keys , ,
    screen_is step-stats-3-end
    keys g
    screen_is step-stats-3
}

# The quiz (P) at the projector's sizes: the question about packet 3 (its two ends, the parts
# asked), then the packet revealed with the marks, the reasons and the score.
scenario_quiz() {
    projector_size || return 0
    start_paced http-get.pcap --step --no-config || return
    # In one write: P must wait for the packets the two steps let in (ui.c, keys_after_step).
    keys . . P
    screen_is quiz-ask
    type_line 1
    type_line S
    type_line 0
    type_line ''
    keys .
    # The next question's prompt opens once the step is taken: keys before it would go to the
    # view (Right scrolls it).
    until_shown 'Who sends it\? 1 or 2' || return
    keys Right
    type_line SA
    type_line 0
    type_line 0
    screen_is quiz-reveal
}

# The lesson pace: one packet every 5 s whatever the capture's timing (its packets are
# microseconds apart): packet 1 at once, packet 2 five seconds later with no key pressed; p
# pauses, and the screen then says how to step.
scenario_pace() {
    projector_size || return 0
    start_paced http-get.pcap --pace=5 --no-config || return
    screen_is pace-1
    # The next packet comes 5 s later: wait for it (bounded), so that regenerating, which
    # takes the first settled screen, takes packet 2 and not packet 1 again.
    local i
    for ((i = 0; i < 100; i++)); do
        T capture-pane -p -t "$pane" 2>/dev/null | head -1 | grep -q '| packet 2 of' && break
        sleep 0.1
    done
    screen_is pace-2
    keys p
    screen_is pace-paused
}

# The high-contrast scheme (--color-scheme=high-contrast): bold light text on black, the bars
# black on white and yellow; the colours themselves are in the .attrs file at 80x24.
scenario_contrast() {
    projector_size || return 0
    start http-get.pcap --color-scheme=high-contrast --no-config || return
    keys j j
    if [ "$size" = 80x24 ]; then screen_is contrast attrs; else screen_is contrast; fi
}

all="first layers conns filter_error filter ladder follow stats help save mouse colours step
step_stats quiz pace contrast"
[ $# -gt 0 ] && all="$*"
# The sizes run at the same time, each in a subshell of its own (most of the time is spent
# waiting for screens to settle); each reports its failures in its exit status.
run_size() {
    size=$1 cols=${1%x*} rows=${1#*x} pane=ui-$1 RUN=$WORK/run-$1
    mkdir -p "$RUN" || exit 1
    cp "$PCAPS/http-get.pcap" "$PCAPS/dns.pcap" "$PCAPS/ping.pcap" "$RUN/" || exit 1
    for scenario in $all; do
        "scenario_$scenario"
    done
    T kill-session -t "$pane" 2>/dev/null
    exit $((fails > 0))
}
pids=()
for size in $SIZES; do
    run_size "$size" >"$WORK/out-$size" 2>&1 &
    pids+=($!)
done
i=0
for size in $SIZES; do
    wait "${pids[$i]}" || fails=$((fails + 1))
    i=$((i + 1))
    cat "$WORK/out-$size"
done
if [ "$fails" -gt 0 ]; then
    echo "FAIL: at $fails sizes; REGEN=1 $0 rewrites the expected screens (then review the diff)"
    exit 1
fi
echo PASS
