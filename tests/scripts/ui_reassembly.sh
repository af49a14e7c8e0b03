#!/usr/bin/env bash
# The TUI with reassembly, as the batch outputs and tshark (issue 10): on a TLS handshake whose
# certificate flight spans three segments (tests/pcaps/tls12-mss.pcap, MSS 536), every row of the
# packet list reads as `pktscope --print` writes it (the Protocol and Info columns: frames 8 and
# 10 are segments of a reassembled PDU, frame 12 carries the handshake messages); frame 12's
# layers are TLS's, and its bytes pane shows the reassembled bytes after the frame's, with the
# field under the cursor found there; the earlier segments name frame 12 (tcp.reassembled_in).
# With --no-reassembly the list reads as --print
# --no-reassembly does (frame 8 on its own).
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/tls12-mss.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"
cd "$WORK" || exit 1

# compare_list [PKTSCOPE-OPTION]: the zoomed list against --print with the same option.
compare_list() {
    T -f /dev/null new-session -d -s ui -x 200 -y 40 -c "$WORK" \
        "TERM=screen LC_ALL=C '$PKTSCOPE' $* -r '$PCAP'; echo EXIT=\$?; sleep 60"
    wait_for '24 packets'
    keys z
    wait_for '^ +24 '
    # The batch line's protocol and info (after the length and phase columns), arrows as ASCII.
    "$PKTSCOPE" $* -r "$PCAP" --print | LC_ALL=C.UTF-8 sed 's/→/->/g' |
        awk '{no=$1; proto=$6; $1=$2=$3=$4=$5=$6=$7=$8=""; sub(/^ +/, ""); print no "\t" proto "\t" $0}' \
            >want.tsv
    screen >screen.txt
    local bad=0
    while IFS=$'\t' read -r no proto info; do
        row=$(grep -E "^ *\*?$no " screen.txt | head -1)
        [ -n "$row" ] || { echo "no row $no"; bad=1; continue; }
        case "$row" in
        *" $proto "*"$info"*) ;;
        *)
            echo "row $no: wanted $proto ... '$info'"
            echo "   got: $row"
            bad=1
            ;;
        esac
    done <want.tsv
    [ $bad -eq 0 ] || fail "the packet list ($*) differs from --print $*"
}

compare_list
grep -Eq '^ +8 .*TCP .*\[TCP segment of a reassembled PDU\]' screen.txt ||
    fail "frame 8 is not a segment of a reassembled PDU"
grep -Eq '^ +12 .*TLSv1\.2 .*Certificate, Server Key Exchange, Server Hello Done' screen.txt ||
    fail "frame 12 does not carry the reassembled handshake messages"
# Frame 8, a segment of the message frame 12 completes, says so, as Wireshark's window does
# (tshark with -2): learnt from frame 12 when it was indexed.
keys z
keys :
type_line 8
expect 'Frame 8: 590 bytes'
keys Tab
keys z
keys e
keys G
expect '^ +Reassembled PDU in frame: 12$'
keys E
keys z
keys Tab
keys Tab
# Frame 12: its layers, then the bytes pane with the reassembled bytes.
keys :
type_line 12
expect 'Frame 12: 492 bytes'
expect 'Transport Layer Security'
# The bytes pane, zoomed: the frame's 492 bytes (31 lines), then the reassembled ones; its last
# byte is a reassembled one and belongs to a TLS field.
keys Tab
keys Tab
keys z
expect '^Reassembled \([0-9]+ bytes\):'
keys G
expect 'cursor: reassembled 0x[0-9a-f]+ .*field: .*\(tls\.'
T kill-session -t ui

compare_list --no-reassembly
grep -Eq '^ +8 .*Ignored Unknown Record' screen.txt ||
    fail "--no-reassembly: frame 8 is not read on its own"
echo "ok: the TUI's list reads as --print with and without reassembly; reassembled bytes shown"
