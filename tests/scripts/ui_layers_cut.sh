#!/usr/bin/env bash
# Issue 15 item 9: the layers pane cuts a line that does not fit at a token boundary, with an
# ellipsis ("~" here, LC_ALL=C), never inside an address. classroom6.pcap's frame 8 has the
# IPv6 subnet test, whose hex rows and verdict are wider than 80 columns: every line of the pane
# that ends in the ellipsis must end, before it, in a whole token of the same frame's -V text.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/classroom6.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

cd "$WORK" || exit 1
"$PKTSCOPE" -r "$PCAP" -V -c 8 >"$WORK/v.txt" || fail "-V failed"
T -f /dev/null new-session -d -s ui -x 80 -y 24 -c "$WORK" \
    "TERM=screen '$PKTSCOPE' -r '$PCAP'; echo EXIT=\$?; sleep 60"
wait_for '21 packets'
T send-keys -t ui -N 7 j
sleep 0.3
keys Enter
expect 'Layers'
# Every node open, then down to the end of the tree, where the subnet test is.
keys e
T send-keys -t ui -N 80 j
keys G
sleep 0.5
expect 'Verdict'
# the bar's whole text, for its cut: what the help of the pane says in a wide terminal
T resize-window -t ui -x 200
sleep 0.5
screen | sed -n 's/^ \(Layers .*\)$/\1/p' | sed 's/  *$//' >"$WORK/bar.txt"
T resize-window -t ui -x 80
sleep 0.5
# the layers pane: its bar down to the bytes pane's bar
screen | sed -n '/^ Layers /,/^ Bytes /p' | sed '$d' >"$WORK/screen.txt"
cut_lines=0
while IFS= read -r line; do
    case $line in *'~') ;; *) continue ;; esac
    cut_lines=$((cut_lines + 1))
    body=${line%'~'}
    last=${body##* }
    [ -n "$last" ] || fail "a cut line ends in a blank before the ellipsis: '$line'"
    case $line in ' Layers '*) # the bar: its own words
        case " $(sed -n 's/.*/&/p' "$WORK/bar.txt") " in *" $last "*) continue ;; esac
        fail "the bar is cut mid-word: '$line'" ;;
    esac
    # the token stands whole (bounded by blanks or the line's ends) somewhere in -V's text
    grep -Fq -- "$last" "$WORK/v.txt" || fail "cut mid-token: '$last' is not in -V: '$line'"
    awk -v t="$last" '{ for (i = 1; i <= NF; i++) if ($i == t) f = 1 } END { exit !f }' \
        "$WORK/v.txt" || fail "cut mid-token: '$last' is not a whole token of -V: '$line'"
done <"$WORK/screen.txt"
[ "$cut_lines" -gt 0 ] || fail "no line was cut: the test sees nothing"
keys Q
echo "ui_layers_cut: ok ($cut_lines cut lines)"
