#!/usr/bin/env bash
# The TUI keeps the dissection of every frame that reassembly changed (DIS_REASSEMBLED) and
# dissects the others again on their own when it shows them. This checks, with
# tests/tools/check_alone.c, that a frame without the flag reads exactly the same on its own as
# in the reassembling pass: over every capture in tests/pcaps (crafted ones too) and the public
# ones in $SHARED_PCAPS, read in place. And that the kept ones read back the same, their
# reassembled bytes kept as bytes and as the pieces of frames they came from.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR/build}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
tool=$BUILDDIR/tests/check_alone
[ -x "$tool" ] || { echo "reasm_alone: no $tool (build the tests)" >&2; exit 1; }
files=()
for f in "$SRCDIR"/tests/pcaps/*.pcap "$SRCDIR"/tests/pcaps/*.pcapng \
         "$SRCDIR"/tests/pcaps/crafted/*.pcap "$SRCDIR"/tests/pcaps/crafted/*.pcapng \
         "$SHARED_PCAPS"/*.pcap "$SHARED_PCAPS"/*.pcapng; do
    [ -f "$f" ] && files+=("$f")
done
[ "${#files[@]}" -gt 20 ] || { echo "reasm_alone: only ${#files[@]} captures found" >&2; exit 1; }
# A capture the reader refuses is not this test's business (exit 2 from the tool means only
# that): the frames it did read were checked.
# And the display filters of the oracle's list that the TUI applies ahead of the analysis
# (frame-local) answer the same on each frame dissected on its own as on the frame analysed.
out=$("$tool" --filters "$SRCDIR/tests/oracle/filters.txt" "${files[@]}" 2>/dev/null)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 1 ] && exit 1
# The reassembled bytes kept as pieces of frames (the TUI's way for a file) were checked at all.
printf '%s\n' "$out" | grep -Eq ' [1-9][0-9]* with their bytes as pieces' ||
    { echo "reasm_alone: no frame was kept with its bytes as pieces" >&2; exit 1; }
# Those filters were there to answer (the list has dozens of header filters).
printf '%s\n' "$out" | grep -Eq ' ([4-9][0-9]|[1-9][0-9][0-9]+) frame-local filters answering [1-9]' ||
    { echo "reasm_alone: too few frame-local filters answered" >&2; exit 1; }
exit 0
